// The `Definitions` section: how many objects of each class the file holds and, per class, a property template
// whose values every object inherits unless it sets its own. Values follow what the FBX SDK and Blender write,
// so an importer that reads templates (the SDK, Blender) and one that does not (assimp) see the same defaults.
import { i32, node, type FbxNode } from './binary';
import {
	pBool,
	pColor,
	pColorRgb,
	pDouble,
	pEnum,
	pInt,
	pLcl,
	pNumber,
	pObject,
	pString,
	pTime,
	pUrl,
	pVector3,
	pVisibility,
	pVisibilityInheritance,
	properties70,
} from './properties';

/** Objects of each class in the file; classes with a count of 0 are left out. */
export interface ObjectCounts {
	Model: number;
	Geometry: number;
	Material: number;
	Texture: number;
	Video: number;
	/** Here only LodGroup attributes. */
	NodeAttribute: number;
}

const ZERO = [0, 0, 0] as const;
const ONE = [1, 1, 1] as const;

function modelTemplate(): FbxNode[] {
	const limits = (what: 'Translation' | 'Rotation' | 'Scaling', max: readonly [number, number, number]) => [
		pBool(`${what}Active`, false),
		pVector3(`${what}Min`, ZERO),
		pVector3(`${what}Max`, max),
		...['MinX', 'MinY', 'MinZ', 'MaxX', 'MaxY', 'MaxZ'].map((axis) => pBool(`${what}${axis}`, false)),
	];
	const damping = ['MinDampRange', 'MaxDampRange', 'MinDampStrength', 'MaxDampStrength', 'PreferedAngle'].flatMap((what) =>
		['X', 'Y', 'Z'].map((axis) => pDouble(`${what}${axis}`, 0)),
	);
	return [
		pEnum('QuaternionInterpolate', 0),
		pVector3('RotationOffset', ZERO),
		pVector3('RotationPivot', ZERO),
		pVector3('ScalingOffset', ZERO),
		pVector3('ScalingPivot', ZERO),
		...limits('Translation', ZERO),
		pEnum('RotationOrder', 0),
		pBool('RotationSpaceForLimitOnly', false),
		pDouble('RotationStiffnessX', 0),
		pDouble('RotationStiffnessY', 0),
		pDouble('RotationStiffnessZ', 0),
		pDouble('AxisLen', 10),
		pVector3('PreRotation', ZERO),
		pVector3('PostRotation', ZERO),
		...limits('Rotation', ZERO),
		pEnum('InheritType', 0),
		...limits('Scaling', ONE),
		pVector3('GeometricTranslation', ZERO),
		pVector3('GeometricRotation', ZERO),
		pVector3('GeometricScaling', ONE),
		...damping,
		pObject('LookAtProperty'),
		pObject('UpVectorProperty'),
		pBool('Show', true),
		pBool('NegativePercentShapeSupport', true),
		pInt('DefaultAttributeIndex', -1),
		pBool('Freeze', false),
		pBool('LODBox', false),
		pLcl('Translation', ZERO),
		pLcl('Rotation', ZERO),
		pLcl('Scaling', ONE),
		pVisibility(1),
		pVisibilityInheritance(true),
	];
}

function geometryTemplate(): FbxNode[] {
	return [
		pColorRgb('Color', [0.8, 0.8, 0.8]),
		pVector3('BBoxMin', ZERO),
		pVector3('BBoxMax', ZERO),
		pBool('Primary Visibility', true),
		pBool('Casts Shadows', true),
		pBool('Receive Shadows', true),
	];
}

function materialTemplate(): FbxNode[] {
	return [
		pString('ShadingModel', 'Phong'),
		pBool('MultiLayer', false),
		pColor('EmissiveColor', ZERO),
		pNumber('EmissiveFactor', 1),
		pColor('AmbientColor', [0.2, 0.2, 0.2]),
		pNumber('AmbientFactor', 1),
		pColor('DiffuseColor', [0.8, 0.8, 0.8]),
		pNumber('DiffuseFactor', 1),
		pColor('TransparentColor', ZERO),
		pNumber('TransparencyFactor', 0),
		pNumber('Opacity', 1),
		pVector3('NormalMap', ZERO),
		pVector3('Bump', ZERO),
		pDouble('BumpFactor', 1),
		pColorRgb('DisplacementColor', ZERO),
		pDouble('DisplacementFactor', 1),
		pColorRgb('VectorDisplacementColor', ZERO),
		pDouble('VectorDisplacementFactor', 1),
		pColor('SpecularColor', [0.2, 0.2, 0.2]),
		pNumber('SpecularFactor', 1),
		pNumber('Shininess', 20),
		pNumber('ShininessExponent', 20),
		pColor('ReflectionColor', ZERO),
		pNumber('ReflectionFactor', 1),
	];
}

function textureTemplate(): FbxNode[] {
	return [
		pEnum('TextureTypeUse', 0),
		pEnum('AlphaSource', 2),
		pDouble('Texture alpha', 1),
		pBool('PremultiplyAlpha', true),
		pEnum('CurrentTextureBlendMode', 1),
		pEnum('CurrentMappingType', 0),
		pString('UVSet', 'default'),
		pEnum('WrapModeU', 0),
		pEnum('WrapModeV', 0),
		pBool('UVSwap', false),
		pVector3('Translation', ZERO),
		pVector3('Rotation', ZERO),
		pVector3('Scaling', ONE),
		pVector3('TextureRotationPivot', ZERO),
		pVector3('TextureScalingPivot', ZERO),
		pBool('UseMaterial', false),
		pBool('UseMipMap', false),
	];
}

function videoTemplate(): FbxNode[] {
	return [
		pInt('Width', 0),
		pInt('Height', 0),
		pUrl('Path', ''),
		pEnum('AccessMode', 0),
		pInt('StartFrame', 0),
		pInt('StopFrame', 0),
		pTime('Offset', 0),
		pDouble('PlaySpeed', 0),
		pBool('FreeRunning', false),
		pBool('Loop', false),
		pEnum('InterlaceMode', 0),
		pBool('ImageSequence', false),
		pInt('ImageSequenceOffset', 0),
		pDouble('FrameRate', 0),
		pInt('LastFrame', 0),
	];
}

/** FbxLODGroup's own properties; the per-level thresholds and display levels are added per object. */
function lodGroupTemplate(): FbxNode[] {
	return [pBool('MinMaxDistance', false), pDouble('MinDistance', -100), pDouble('MaxDistance', 100), pBool('WorldSpace', false), pBool('ThresholdsUsedAsPercentage', false)];
}

const TEMPLATES: [keyof ObjectCounts, string, () => FbxNode[]][] = [
	['Model', 'FbxNode', modelTemplate],
	['Geometry', 'FbxMesh', geometryTemplate],
	['Material', 'FbxSurfacePhong', materialTemplate],
	['Texture', 'FbxFileTexture', textureTemplate],
	['Video', 'FbxVideo', videoTemplate],
	// The SDK spells the template class FbxLODGroup, the object subclass LodGroup.
	['NodeAttribute', 'FbxLODGroup', lodGroupTemplate],
];

/** The `Definitions` record: a version, the total count (GlobalSettings included) and one ObjectType per class. */
export function definitions(counts: ObjectCounts): FbxNode {
	const used = TEMPLATES.filter(([cls]) => counts[cls] > 0);
	const total = 1 + used.reduce((sum, [cls]) => sum + counts[cls], 0);
	return node('Definitions', [], [
		node('Version', [i32(100)]),
		node('Count', [i32(total)]),
		node('ObjectType', ['GlobalSettings'], [node('Count', [i32(1)])]),
		...used.map(([cls, template, entries]) =>
			node('ObjectType', [cls], [node('Count', [i32(counts[cls])]), node('PropertyTemplate', [template], [properties70(entries())])]),
		),
	]);
}
