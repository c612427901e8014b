// FBX `Properties70` entries: each `P` record is name, type, label, flags, then the value(s). The type/label
// pairs are the ones the FBX SDK writes (and Blender's exporter mirrors); readers look properties up by name
// and type, so they must be spelled exactly.
import { f64, i32, i64, node, type FbxNode, type FbxProperty } from './binary';

export type Vec3 = readonly [number, number, number];

/** `A` marks a property that may be animated; most numbers and colours on materials are. */
type Flags = '' | 'A';

const p = (name: string, type: string, label: string, flags: Flags, ...values: FbxProperty[]): FbxNode => node('P', [name, type, label, flags, ...values]);

/** Booleans are stored as int32 in property lists. */
export const pBool = (name: string, value: boolean) => p(name, 'bool', '', '', i32(value ? 1 : 0));
export const pInt = (name: string, value: number) => p(name, 'int', 'Integer', '', i32(value));
export const pEnum = (name: string, value: number) => p(name, 'enum', '', '', i32(value));
export const pDouble = (name: string, value: number) => p(name, 'double', 'Number', '', f64(value));
export const pNumber = (name: string, value: number, flags: Flags = 'A') => p(name, 'Number', '', flags, f64(value));
export const pVector3 = (name: string, [x, y, z]: Vec3) => p(name, 'Vector3D', 'Vector', '', f64(x), f64(y), f64(z));
export const pColorRgb = (name: string, [r, g, b]: Vec3) => p(name, 'ColorRGB', 'Color', '', f64(r), f64(g), f64(b));
export const pColor = (name: string, [r, g, b]: Vec3, flags: Flags = 'A') => p(name, 'Color', '', flags, f64(r), f64(g), f64(b));
export const pString = (name: string, value: string) => p(name, 'KString', '', '', value);
export const pUrl = (name: string, value: string) => p(name, 'KString', 'Url', '', value);
export const pTime = (name: string, value: number) => p(name, 'KTime', 'Time', '', i64(value));
export const pDateTime = (name: string, value: string) => p(name, 'DateTime', '', '', value);
export const pObject = (name: string) => p(name, 'object', '', '');
export const pCompound = (name: string) => p(name, 'Compound', '', '');
export const pLcl = (kind: 'Translation' | 'Rotation' | 'Scaling', [x, y, z]: Vec3) => p(`Lcl ${kind}`, `Lcl ${kind}`, '', 'A', f64(x), f64(y), f64(z));
export const pVisibility = (value: number) => p('Visibility', 'Visibility', '', 'A', f64(value));
export const pVisibilityInheritance = (value: boolean) => p('Visibility Inheritance', 'Visibility Inheritance', '', '', i32(value ? 1 : 0));
/** An LOD switch distance: FbxDistance is a value and a unit; with percentages the unit string stays empty. */
export const pDistance = (name: string, value: number, unit: string) => p(name, 'Distance', '', '', f64(value), unit);

export const properties70 = (entries: FbxNode[]): FbxNode => node('Properties70', [], entries);

/**
 * The name property of an object: FBX stores `Name::Class` as `Name`, the bytes 0x00 0x01, then the class
 * (reversed from the ASCII spelling).
 */
export function objectName(name: string, cls: string): string {
	return `${name.replace(/\0/g, '')}\0\x01${cls}`;
}
