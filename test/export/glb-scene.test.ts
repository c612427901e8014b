import { NodeIO } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import { addCollider } from '../../daemon/src/export/collider';
import { writeSceneGlb } from '../../daemon/src/export/glb-scene';
import { loadGlb } from '../../daemon/src/export/load-glb';
import { lodChain } from '../../daemon/src/export/lod';
import { EXPORT_PROFILES } from '../../daemon/src/protocol/options';
import { coloredBoxScene, texturedBoxScene, texturedSphereScene, twoMaterialBoxScene } from '../helpers/export-scenes';
import { validateGlb } from '../helpers/validate';

async function nodeTree(bytes: Uint8Array) {
	const doc = await new NodeIO().readBinary(bytes);
	const roots = doc.getRoot().getDefaultScene()!.listChildren();
	return roots.map((node) => ({ name: node.getName(), mesh: node.getMesh()?.getName(), children: node.listChildren().map((c) => c.getName()) }));
}

describe('writeSceneGlb', () => {
	it('writes every fixture as a GLB the Khronos validator passes with zero errors', async () => {
		const scenes = [await texturedBoxScene(), await twoMaterialBoxScene(), coloredBoxScene(), await addCollider(await lodChain(await texturedSphereScene(), { ratios: [1, 0.5, 0.25] }), { kind: 'hull' })];
		for (const scene of scenes) {
			const [file] = await writeSceneGlb(scene);
			expect(file.name).toBe(`${scene.name}.glb`);
			const report = await validateGlb(file.bytes);
			expect(report.errors, `${scene.name}: ${JSON.stringify(report.messages)}`).toBe(0);
		}
	});

	it('names LOD levels and the collider the way each profile expects', async () => {
		const scene = await addCollider(await lodChain(await texturedSphereScene('Ball'), { ratios: [1, 0.5, 0.25] }), { kind: 'hull' });
		const collider = { generic: 'Ball_Collider', unity: 'Ball_Collider', unreal: 'UCX_Ball_00', godot: 'Ball-convcolonly' };
		for (const profile of EXPORT_PROFILES) {
			const [file] = await writeSceneGlb(scene, { profile });
			expect(await nodeTree(file.bytes), profile).toEqual([{ name: 'Ball', mesh: undefined, children: ['Ball_LOD0', 'Ball_LOD1', 'Ball_LOD2', collider[profile]] }]);
		}
	});

	it('writes one node named after the object when there is no chain', async () => {
		const [file] = await writeSceneGlb(await texturedBoxScene('Crate'));
		expect(await nodeTree(file.bytes)).toEqual([{ name: 'Crate', mesh: 'Crate', children: [] }]);
	});

	it('reads back with loadGlb to the same mesh, materials and texture; derived levels are left out', async () => {
		const source = await twoMaterialBoxScene('Tile');
		const [file] = await writeSceneGlb(source);
		const back = await loadGlb(file.bytes, { name: 'Tile' });
		const [mesh, original] = [back.lods[0], source.lods[0]];
		expect(Array.from(mesh.positions)).toEqual(Array.from(original.positions));
		expect(Array.from(mesh.uvs!)).toEqual(Array.from(original.uvs!));
		expect(Array.from(mesh.indices)).toEqual(Array.from(original.indices));
		expect(mesh.groups).toEqual(original.groups);
		expect(back.materials.map((m) => m.name)).toEqual(['Tile', 'Tile_Trim']);
		expect(back.materials[0].texture?.bytes).toEqual(source.materials[0].texture!.bytes);
		expect(back.materials[1].baseColor).toEqual(source.materials[1].baseColor);

		const chained = await addCollider(await lodChain(await texturedSphereScene('Ball'), { ratios: [1, 0.5] }), { kind: 'hull' });
		const [lodFile] = await writeSceneGlb(chained);
		const reloaded = await loadGlb(lodFile.bytes, { name: 'Ball' });
		expect(reloaded.lods).toHaveLength(1);
		expect(reloaded.lods[0].indices.length).toBe(chained.lods[0].indices.length);
		expect(reloaded.collider).toBeUndefined();
	});

	it('carries vertex colours as COLOR_0', async () => {
		const scene = coloredBoxScene();
		const back = await loadGlb((await writeSceneGlb(scene))[0].bytes, { name: scene.name });
		expect(Array.from(back.lods[0].colors!)).toEqual(Array.from(scene.lods[0].colors!));
	});

	it('refuses a broken scene with E_EXPORT', async () => {
		const scene = await texturedBoxScene();
		scene.lods[0].positions[4] = Number.NaN;
		await expect(writeSceneGlb(scene)).rejects.toMatchObject({ code: 'E_EXPORT', message: expect.stringMatching(/non-finite/) });
		const untextured = await texturedBoxScene();
		delete untextured.lods[0].uvs;
		await expect(writeSceneGlb(untextured)).rejects.toMatchObject({
			code: 'E_EXPORT',
			message: 'Crate has no texture coordinates, so the texture of material "Crate" cannot be applied. Give the mesh UVs, or export it without the texture.',
		});
	});
});
