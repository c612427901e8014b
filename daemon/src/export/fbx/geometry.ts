// One ExportMesh as an FBX `Geometry` record: control points in the profile's axes and units, triangles as
// polygon-vertex indices, and the layer elements (normals, colours, UVs, materials) that layer 0 lists.
import { toProfileAxes, type Profile } from '../profiles';
import type { ExportMesh } from '../scene';
import { i32, i64, node, type FbxNode } from './binary';
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
	// corner of each polygon is stored as ~index (−index − 1) to close it.
	const polygonVertexIndex = new Int32Array(mesh.indices.length);
	for (let c = 0; c < mesh.indices.length; c++) polygonVertexIndex[c] = c % 3 === 2 ? ~mesh.indices[c] : mesh.indices[c];
	const cornerToVertex = Int32Array.from(mesh.indices);

	if (mesh.normals) {
		// Our normals are per vertex already (vertices are split where normals differ), so they go by control
		// point, the SDK's eByControlPoint: a third the size of per-corner normals; Blender and assimp read it.
		const normals = convert(mesh.normals, vertices, profile, 1);
		normalize(normals);
		layerElements.push(['LayerElementNormal', layerElement('LayerElementNormal', '', 'ByVertice', 'Direct', [node('Normals', [normals])])]);
	}
	if (mesh.colors) {
		// FBX vertex colours are display (sRGB) values with alpha, per polygon corner, as Blender reads and writes
		// them by default. The colour table is per vertex and the index maps each corner to its vertex.
		const colors = new Float64Array(vertices * 4);
		for (let v = 0; v < vertices; v++) {
			for (let k = 0; k < 3; k++) colors[4 * v + k] = linearToSrgb(mesh.colors[3 * v + k]);
			colors[4 * v + 3] = 1;
		}
		layerElements.push([
			'LayerElementColor',
			layerElement('LayerElementColor', COLOR_SET, 'ByPolygonVertex', 'IndexToDirect', [node('Colors', [colors]), node('ColorIndex', [cornerToVertex])]),
		]);
	}
	if (mesh.uvs) {
		// glTF puts v = 0 at the top of the image, FBX at the bottom.
		const uvs = new Float64Array(vertices * 2);
		for (let v = 0; v < vertices; v++) {
			uvs[2 * v] = mesh.uvs[2 * v];
			uvs[2 * v + 1] = 1 - mesh.uvs[2 * v + 1];
		}
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
		node('Vertices', [convert(mesh.positions, vertices, profile, profile.unitsPerMetre)]),
		node('PolygonVertexIndex', [polygonVertexIndex]),
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

/** xyz triples into the profile's axes, scaled, as doubles. */
function convert(source: Float32Array, count: number, profile: Profile, scale: number): Float64Array {
	const out = new Float64Array(count * 3);
	const p = [0, 0, 0];
	for (let i = 0; i < count; i++) {
		toProfileAxes(profile, source[3 * i] * scale, source[3 * i + 1] * scale, source[3 * i + 2] * scale, p);
		out[3 * i] = p[0];
		out[3 * i + 1] = p[1];
		out[3 * i + 2] = p[2];
	}
	return out;
}

/** Unit length in double precision; a zero normal stays zero. */
function normalize(n: Float64Array): void {
	for (let i = 0; i < n.length; i += 3) {
		const length = Math.hypot(n[i], n[i + 1], n[i + 2]);
		if (length > 0) {
			n[i] /= length;
			n[i + 1] /= length;
			n[i + 2] /= length;
		}
	}
}
