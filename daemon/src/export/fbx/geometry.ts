// One ExportMesh as an FBX `Geometry` record: control points in the profile's axes and units, triangles as
// polygon-vertex indices, and the layer elements (normals, colours, UVs, materials) that layer 0 lists.
import { mapAxes, type Profile } from '../profiles';
import type { ExportMesh } from '../scene';
import { doubles, i32, i64, ints, node, type FbxComputedArray, type FbxNode } from './binary';
import { objectName, properties70 } from './properties';
import { linearToSrgb } from '../../imaging/srgb';

/** Versions of the geometry records, as FBX 7.4 files carry them. */
const GEOMETRY_VERSION = 124;
const LAYER_ELEMENT_VERSION = 101;
const LAYER_VERSION = 100;

/** Name of the UV layer; Blender's default, so a round trip through Blender keeps it. */
export const UV_SET = 'UVMap';
export const COLOR_SET = 'Col';

/**
 * The Geometry record of a mesh. `materials` says whether the mesh carries a material layer (the collider
 * does not).
 */
export function geometryNode(id: number, name: string, mesh: ExportMesh, profile: Profile, materials: boolean): FbxNode {
	const vertices = mesh.positions.length / 3;
	const triangles = mesh.indices.length / 3;
	const layers: FbxNode[] = [];
	const layerElements: [string, FbxNode][] = [];

	// A corner's position in PolygonVertexIndex is also its slot in the by-polygon-vertex layers below; the last
	// corner of each polygon is stored as ~index (−index − 1) to close it. Large arrays are computed as the file
	// is written, straight into it.
	const { indices } = mesh;
	const cornerToVertex = ints(indices.length, (target) => target.set(indices));

	if (mesh.normals) {
		// Our normals are per vertex already (vertices are split where normals differ), so they go by control
		// point, the SDK's eByControlPoint: a third the size of per-corner normals; Blender and assimp read it.
		layerElements.push(['LayerElementNormal', layerElement('LayerElementNormal', '', 'ByVertice', 'Direct', [node('Normals', [inProfileAxes(mesh.normals, profile, 'unit')])])]);
	}
	if (mesh.colors) {
		// FBX vertex colours are display (sRGB) values with alpha, per polygon corner, as Blender reads and writes
		// them by default. The colour table is per vertex and the index maps each corner to its vertex.
		const rgb = mesh.colors;
		const colors = doubles(vertices * 4, (target) => {
			for (let v = 0; v < vertices; v++) {
				for (let k = 0; k < 3; k++) target[4 * v + k] = linearToSrgb(rgb[3 * v + k]);
				target[4 * v + 3] = 1;
			}
		});
		layerElements.push([
			'LayerElementColor',
			layerElement('LayerElementColor', COLOR_SET, 'ByPolygonVertex', 'IndexToDirect', [node('Colors', [colors]), node('ColorIndex', [cornerToVertex])]),
		]);
	}
	if (mesh.uvs) {
		// glTF puts v = 0 at the top of the image, FBX at the bottom.
		const source = mesh.uvs;
		const uvs = doubles(vertices * 2, (target) => {
			for (let i = 0; i < target.length; i += 2) {
				target[i] = source[i];
				target[i + 1] = 1 - source[i + 1];
			}
		});
		layerElements.push(['LayerElementUV', layerElement('LayerElementUV', UV_SET, 'ByPolygonVertex', 'IndexToDirect', [node('UV', [uvs]), node('UVIndex', [cornerToVertex])])]);
	}
	if (materials) {
		const perTriangle = new Int32Array(triangles);
		for (const group of mesh.groups) perTriangle.fill(group.material, group.start, group.start + group.count);
		layerElements.push(['LayerElementMaterial', layerElement('LayerElementMaterial', '', 'ByPolygon', 'IndexToDirect', [node('Materials', [perTriangle])])]);
	}
	layers.push(
		node('Layer', [i32(0)], [
			node('Version', [i32(LAYER_VERSION)]),
			...layerElements.map(([type]) => node('LayerElement', [], [node('Type', [type]), node('TypedIndex', [i32(0)])])),
		]),
	);

	return node('Geometry', [i64(id), objectName(name, 'Geometry'), 'Mesh'], [
		properties70([]),
		node('GeometryVersion', [i32(GEOMETRY_VERSION)]),
		node('Vertices', [inProfileAxes(mesh.positions, profile, profile.unitsPerMetre)]),
		node('PolygonVertexIndex', [
			ints(indices.length, (target) => {
				target.set(indices);
				for (let c = 2; c < target.length; c += 3) target[c] = ~target[c];
			}),
		]),
		...layerElements.map(([, element]) => element),
		...layers,
	]);
}

function layerElement(type: string, name: string, mapping: string, reference: string, data: FbxNode[]): FbxNode {
	return node(type, [i32(0)], [
		node('Version', [i32(LAYER_ELEMENT_VERSION)]),
		node('Name', [name]),
		node('MappingInformationType', [mapping]),
		node('ReferenceInformationType', [reference]),
		...data,
	]);
}

/**
 * xyz triples in the profile's axes, as doubles computed while writing: scaled by `scale`, or made unit length
 * (normals, renormalised in double precision).
 */
function inProfileAxes(source: Float32Array, profile: Profile, scale: number | 'unit'): FbxComputedArray {
	return doubles(source.length, (target) => {
		mapAxes(profile, source, target, scale === 'unit' ? 1 : scale);
		if (scale !== 'unit') return;
		for (let i = 0; i < target.length; i += 3) {
			const inverse = 1 / (Math.hypot(target[i], target[i + 1], target[i + 2]) || 1);
			target[i] *= inverse;
			target[i + 1] *= inverse;
			target[i + 2] *= inverse;
		}
	});
}
