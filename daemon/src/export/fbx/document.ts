// The FBX document tree for one ExportScene: header and settings, the object records (geometry.ts for meshes,
// templates.ts for Definitions) and the connections that tie them into a hierarchy. binary.ts encodes it.
import { safeName } from '../../naming';
import { VERSION } from '../../version';
import type { Profile } from '../profiles';
import type { ExportMaterial, ExportScene, ExportTexture } from '../scene';
import { FBX_VERSION, i32, i64, node, type FbxNode } from './binary';
import { geometryNode, UV_SET } from './geometry';
import {
	objectName,
	pBool,
	pColor,
	pColorRgb,
	pCompound,
	pDateTime,
	pDistance,
	pDouble,
	pEnum,
	pInt,
	pNumber,
	pObject,
	pString,
	pTime,
	pUrl,
	properties70,
	type Vec3,
} from './properties';
import { definitions, type ObjectCounts } from './templates';

/**
 * FileId and CreationTime as Blender writes them in every file: the SDK is said to check the two against each
 * other, and this pair is known to load in the SDK-based importers (Unity, Unreal, Maya).
 */
const FILE_ID = Buffer.from('28b32aebb624ccc2bfc8b02aa92bfcf1', 'hex');
const CREATION_TIME = '1970-01-01 10:00:00:000';
/** FBX time units per second. */
const KTIME_SECOND = 46186158000;

export interface DocumentOptions {
	profile: Profile;
	/** Written to CreationTimeStamp and the scene info. */
	createdAt: Date;
}

/** One `C` record: child (source) then parent (destination); `OP` links to a property of the parent. */
export type Connection = ['OO', number, number] | ['OP', number, number, string];

/**
 * The objects of one file as they are gathered: ids handed out in order (so equal input gives equal bytes),
 * the records, the connections between them and the count of each class for Definitions. The single-model
 * document here and the scene document (scene/export.ts) both fill one and hand it to {@link fileRecords}.
 */
export interface FbxObjects {
	id(): number;
	objects: FbxNode[];
	connections: Connection[];
	counts: ObjectCounts;
}

export function fbxObjects(): FbxObjects {
	let nextId = 1_000_000;
	return { id: () => nextId++, objects: [], connections: [], counts: { Model: 0, Geometry: 0, Material: 0, Texture: 0, Video: 0, NodeAttribute: 0 } };
}

/** The top-level records of an FBX file for `scene` (already validated). */
export function buildDocument(scene: ExportScene, { profile, createdAt }: DocumentOptions): FbxNode[] {
	const base = safeName(scene.name);
	const out = fbxObjects();
	const { id, objects, connections, counts } = out;

	// Materials first: each mesh model links to all of them, in scene order, so the indices in its material
	// layer are scene material indices.
	const materialIds = addMaterials(out, scene.materials);

	const meshModel = (name: string, parent: number, mesh: ExportScene['lods'][number], withMaterials: boolean) => {
		const modelId = id();
		const geometryId = id();
		objects.push(geometryNode(geometryId, name, mesh, profile, withMaterials), modelNode(modelId, name, 'Mesh'));
		connections.push(['OO', modelId, parent], ['OO', geometryId, modelId]);
		if (withMaterials) for (const materialId of materialIds) connections.push(['OO', materialId, modelId]);
		counts.Model++;
		counts.Geometry++;
	};

	if (scene.lods.length > 1) {
		// A LodGroup node named like the object, its levels as children in order (LOD0 first): Unreal and Maya
		// read the group; Unity reads the _LOD<n> names; Blender and assimp see an empty with children.
		const groupId = id();
		const attributeId = id();
		objects.push(modelNode(groupId, base, 'LodGroup'), lodGroupAttribute(attributeId, base, scene.lodRatios, scene.lods.length));
		connections.push(['OO', groupId, 0], ['OO', attributeId, groupId]);
		counts.Model++;
		counts.NodeAttribute++;
		scene.lods.forEach((mesh, level) => meshModel(profile.lodName(base, level), groupId, mesh, true));
	} else {
		meshModel(base, 0, scene.lods[0], true);
	}
	// The collider sits beside the object at the root: Unreal pairs UCX_<name>_NN with the mesh by name.
	if (scene.collider) meshModel(profile.colliderName(base, scene.collider.kind), 0, scene.collider.mesh, false);

	return fileRecords(out, { title: base, profile, createdAt });
}

/**
 * Material objects for `materials` in order, each base-colour texture as a Texture with its image embedded in a
 * Video (one pair per distinct ExportTexture). Returns the material ids; a mesh model links to all of them in
 * this order, so the indices in its material layer are the list's indices.
 */
export function addMaterials({ id, objects, connections, counts }: FbxObjects, materials: readonly ExportMaterial[]): number[] {
	const materialIds = materials.map(() => id());
	const textures = new Map<ExportTexture, number>();
	materials.forEach((material, m) => {
		objects.push(materialNode(materialIds[m], material));
		counts.Material++;
		if (!material.texture) return;
		let textureId = textures.get(material.texture);
		if (textureId === undefined) {
			textureId = id();
			const videoId = id();
			textures.set(material.texture, textureId);
			const file = textureFileName(material.texture);
			objects.push(textureNode(textureId, file, material.texture), videoNode(videoId, file, material.texture));
			connections.push(['OO', videoId, textureId]);
			counts.Texture++;
			counts.Video++;
		}
		connections.push(['OP', textureId, materialIds[m], 'DiffuseColor']);
	});
	return materialIds;
}

/**
 * The top-level records of a file holding `out`'s objects: header (`title` names the file and its scene
 * info), the profile's GlobalSettings, Definitions, the objects grouped by class, and the connections.
 */
export function fileRecords(out: FbxObjects, { title, profile, createdAt }: DocumentOptions & { title: string }): FbxNode[] {
	const creator = `Orfeas ${VERSION}`;
	// Grouped by class in the order Blender writes them; readers look objects up by id, so this is for people.
	const rank = (n: FbxNode) => ['NodeAttribute', 'Geometry', 'Model', 'Material', 'Texture', 'Video'].indexOf(n.name);
	const objects = [...out.objects].sort((a, b) => rank(a) - rank(b));

	return [
		headerExtension(title, creator, createdAt),
		node('FileId', [FILE_ID]),
		node('CreationTime', [CREATION_TIME]),
		node('Creator', [creator]),
		globalSettings(profile),
		node('Documents', [], [
			node('Count', [i32(1)]),
			node('Document', [i64(out.id()), 'Scene', 'Scene'], [properties70([pObject('SourceObject'), pString('ActiveAnimStackName', '')]), node('RootNode', [i64(0)])]),
		]),
		node('References'),
		definitions(out.counts),
		node('Objects', [], objects),
		node('Connections', [], out.connections.map((c) => node('C', c.map((v) => (typeof v === 'number' ? i64(v) : v))))),
		node('Takes', [], [node('Current', [''])]),
	];
}

function headerExtension(base: string, creator: string, at: Date): FbxNode {
	const stamp: [string, number][] = [
		['Version', 1000],
		['Year', at.getUTCFullYear()],
		['Month', at.getUTCMonth() + 1],
		['Day', at.getUTCDate()],
		['Hour', at.getUTCHours()],
		['Minute', at.getUTCMinutes()],
		['Second', at.getUTCSeconds()],
		['Millisecond', at.getUTCMilliseconds()],
	];
	const two = (n: number) => String(n).padStart(2, '0');
	const gmt = `${two(at.getUTCDate())}/${two(at.getUTCMonth() + 1)}/${at.getUTCFullYear()} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}.${String(at.getUTCMilliseconds()).padStart(3, '0')}`;
	const file = `${base}.fbx`;
	const application = (prefix: string) => [
		pCompound(prefix),
		pString(`${prefix}|ApplicationVendor`, 'Orfeas'),
		pString(`${prefix}|ApplicationName`, 'Orfeas'),
		pString(`${prefix}|ApplicationVersion`, VERSION),
		pDateTime(`${prefix}|DateTime_GMT`, gmt),
	];
	return node('FBXHeaderExtension', [], [
		node('FBXHeaderVersion', [i32(1003)]),
		node('FBXVersion', [i32(FBX_VERSION)]),
		node('EncryptionType', [i32(0)]),
		node('CreationTimeStamp', [], stamp.map(([name, value]) => node(name, [i32(value)]))),
		node('Creator', [creator]),
		node('SceneInfo', [objectName('GlobalInfo', 'SceneInfo'), 'UserData'], [
			node('Type', ['UserData']),
			node('Version', [i32(100)]),
			node('MetaData', [], [
				node('Version', [i32(100)]),
				...['Title', 'Subject', 'Author', 'Keywords', 'Revision', 'Comment'].map((field) => node(field, [field === 'Title' ? base : ''])),
			]),
			properties70([
				pUrl('DocumentUrl', file),
				pUrl('SrcDocumentUrl', file),
				...application('Original'),
				pString('Original|FileName', file),
				...application('LastSaved'),
			]),
		]),
	]);
}

/** (axis, sign) pairs, axis 0 = X, 1 = Y, 2 = Z. */
const AXES = {
	Y: { up: [1, 1], front: [2, 1], coord: [0, 1] },
	Z: { up: [2, 1], front: [1, -1], coord: [0, 1] },
} as const;

/**
 * Axes and units. The axis triples are the ones Blender writes for up Y / forward −Z (Y-up files: front
 * toward +Z) and for its own up Z / forward Y (Z-up files: front toward −Y), which are the data's axes after
 * mapAxes. UnitScaleFactor is centimetres per file unit.
 */
function globalSettings(profile: Profile): FbxNode {
	const { up, front, coord } = AXES[profile.up];
	const unitScale = 100 / profile.unitsPerMetre;
	return node('GlobalSettings', [], [
		node('Version', [i32(1000)]),
		properties70([
			pInt('UpAxis', up[0]),
			pInt('UpAxisSign', up[1]),
			pInt('FrontAxis', front[0]),
			pInt('FrontAxisSign', front[1]),
			pInt('CoordAxis', coord[0]),
			pInt('CoordAxisSign', coord[1]),
			pInt('OriginalUpAxis', -1),
			pInt('OriginalUpAxisSign', 1),
			pDouble('UnitScaleFactor', unitScale),
			pDouble('OriginalUnitScaleFactor', unitScale),
			pColorRgb('AmbientColor', [0, 0, 0]),
			pString('DefaultCamera', 'Producer Perspective'),
			pEnum('TimeMode', 11), // 24 frames per second
			pTime('TimeSpanStart', 0),
			pTime('TimeSpanStop', KTIME_SECOND),
			pDouble('CustomFrameRate', 24),
		]),
	]);
}

/**
 * A Model record. `properties` are added to its Properties70 (a placed object's Lcl Translation, Rotation and
 * Scaling); InheritType 1 (eInheritRSrs) composes parent and child as plain matrices, as glTF does.
 */
export function modelNode(modelId: number, name: string, type: 'Mesh' | 'LodGroup', properties: FbxNode[] = []): FbxNode {
	return node('Model', [i64(modelId), objectName(name, 'Model'), type], [
		node('Version', [i32(232)]),
		properties70([pInt('DefaultAttributeIndex', 0), pEnum('InheritType', 1), ...properties]),
		node('MultiLayer', [i32(0)]),
		node('MultiTake', [i32(0)]),
		node('Shading', [true]),
		node('Culling', ['CullingOff']),
	]);
}

/**
 * The LodGroup attribute: thresholds as screen percentages (as Unreal's own exporter writes them), level i+1
 * taking over at 100·√ratio % of the screen, where its on-screen triangle density matches LOD0's at full
 * screen. Every level displays as "use LOD".
 */
function lodGroupAttribute(attributeId: number, name: string, ratios: number[], levels: number): FbxNode {
	const thresholds: FbxNode[] = [];
	for (let level = 1; level < levels; level++) {
		const ratio = ratios[level] > 0 && ratios[level] <= 1 ? ratios[level] : 0.5 ** level;
		thresholds.push(pDistance(`Thresholds|Level${level - 1}`, 100 * Math.sqrt(ratio), 'cm'));
	}
	const display = Array.from({ length: levels }, (_, level) => pEnum(`DisplayLevels|Level${level}`, 0));
	return node('NodeAttribute', [i64(attributeId), objectName(name, 'NodeAttribute'), 'LodGroup'], [
		properties70([pBool('ThresholdsUsedAsPercentage', true), ...thresholds, ...display]),
	]);
}

/**
 * A Phong material from the PBR values, mapped the way Blender's FBX importer and exporter map them both
 * ways: shininess ((1 − roughness) · 10)², ReflectionFactor = metallic, alpha as opacity.
 */
function materialNode(materialId: number, material: ExportMaterial): FbxNode {
	const [r, g, b, a] = material.baseColor;
	const base: Vec3 = [r, g, b];
	const alpha = clamp01(a);
	const shininess = ((1 - clamp01(material.roughness)) * 10) ** 2;
	return node('Material', [i64(materialId), objectName(material.name, 'Material'), ''], [
		node('Version', [i32(102)]),
		node('ShadingModel', ['Phong']),
		node('MultiLayer', [i32(0)]),
		properties70([
			pString('ShadingModel', 'Phong'),
			pColor('DiffuseColor', base),
			pNumber('DiffuseFactor', 1),
			pColor('EmissiveColor', [0, 0, 0]),
			pColor('AmbientColor', [0, 0, 0]),
			pNumber('AmbientFactor', 0),
			pColor('TransparentColor', [1 - alpha, 1 - alpha, 1 - alpha]),
			pNumber('TransparencyFactor', 1 - alpha),
			pNumber('Opacity', alpha),
			pDouble('BumpFactor', 1),
			pColor('SpecularColor', [1, 1, 1]),
			pNumber('SpecularFactor', 0.25),
			pNumber('Shininess', shininess),
			pNumber('ShininessExponent', shininess),
			pColor('ReflectionColor', base),
			pNumber('ReflectionFactor', clamp01(material.metallic)),
		]),
	]);
}

/** The texture's file name with the extension its bytes need; importers extract embedded images under it. */
function textureFileName(texture: ExportTexture): string {
	const stem = safeName(texture.name.replace(/\.(png|jpe?g)$/i, ''));
	return `${stem}${texture.mime === 'image/png' ? '.png' : '.jpg'}`;
}

function textureNode(textureId: number, file: string, texture: ExportTexture): FbxNode {
	const name = objectName(file.replace(/\.[^.]+$/, ''), 'Texture');
	return node('Texture', [i64(textureId), name, ''], [
		node('Type', ['TextureVideoClip']),
		node('Version', [i32(202)]),
		node('TextureName', [name]),
		properties70([
			pEnum('AlphaSource', texture.mime === 'image/png' ? 2 : 0),
			pBool('PremultiplyAlpha', false),
			pString('UVSet', UV_SET),
			pBool('UseMaterial', true),
		]),
		node('Media', [objectName(file, 'Video')]),
		node('FileName', [file]),
		node('RelativeFilename', [file]),
	]);
}

/** The image itself, embedded as `Content`; RelativeFilename is where importers extract it. */
function videoNode(videoId: number, file: string, texture: ExportTexture): FbxNode {
	return node('Video', [i64(videoId), objectName(file, 'Video'), 'Clip'], [
		node('Type', ['Clip']),
		properties70([pUrl('Path', file)]),
		node('UseMipMap', [i32(0)]),
		node('Filename', [file]),
		node('RelativeFilename', [file]),
		node('Content', [texture.bytes]),
	]);
}

function clamp01(x: number): number {
	return Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
}
