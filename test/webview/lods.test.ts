// lods.ts on three.js objects built here: the LOD levels and colliders the export profiles name, found by name.
import { BoxGeometry, Group, Mesh, MeshStandardMaterial, type Object3D } from 'three';
import { describe, expect, it } from 'vitest';
import { hideColliders, isCollider, levels, lodLevel, nodeName, showLevel } from '../../webview/src/preview/lods';

function mesh(name: string): Mesh {
	const object = new Mesh(new BoxGeometry(), new MeshStandardMaterial());
	object.name = name;
	return object;
}

function group(name: string, ...children: Object3D[]): Group {
	const object = new Group();
	object.name = name;
	object.add(...children);
	return object;
}

describe('lodLevel and isCollider', () => {
	it('read the level from _LOD<n> in any case, and nothing from other names', () => {
		expect(lodLevel('Ball_LOD0')).toBe(0);
		expect(lodLevel('Ball_lod12')).toBe(12);
		expect(lodLevel('Ball')).toBeUndefined();
		expect(lodLevel('Ball_LOD')).toBeUndefined();
		expect(lodLevel('Ball_LOD1_extra')).toBeUndefined();
	});

	it("know every profile's collider name and leave look-alikes visible", () => {
		for (const name of ['Ball_Collider', 'UCX_Ball_00', 'Ball-convcolonly', 'Ball-colonly', 'Ball-col', 'my_collider_mesh']) expect(isCollider(name), name).toBe(true);
		for (const name of ['Ball', 'Ball_LOD0', 'Column', 'Colorful', 'Ball-colour', 'UCXBall']) expect(isCollider(name), name).toBe(false);
	});

	it('prefer the name the file gave over the one GLTFLoader made unique', () => {
		const node = mesh('Ball_LOD0_1');
		node.userData.name = 'Ball_LOD0';
		expect(nodeName(node)).toBe('Ball_LOD0');
		expect(nodeName(mesh('Plain'))).toBe('Plain');
	});
});

describe('levels and showLevel', () => {
	it('orders the LOD children by level and shows one at a time', () => {
		const [lod0, lod1, lod2] = [mesh('Ball_LOD0'), mesh('Ball_LOD1'), mesh('Ball_LOD2')];
		const root = group('Scene', group('Ball', lod2, lod0, mesh('Ball_Collider'), lod1));
		const found = levels(root);
		expect(found).toEqual([lod0, lod1, lod2]);
		expect(showLevel(found, 1)).toBe(1);
		expect(found.map((l) => l.visible)).toEqual([false, true, false]);
		expect(showLevel(found, 0)).toBe(0);
		expect(found.map((l) => l.visible)).toEqual([true, false, false]);
	});

	it('clamps a level out of range', () => {
		const found = levels(group('Ball', mesh('Ball_LOD0'), mesh('Ball_LOD1')));
		expect(showLevel(found, 7)).toBe(1);
		expect(found.map((l) => l.visible)).toEqual([false, true]);
		expect(showLevel(found, -3)).toBe(0);
		expect(found.map((l) => l.visible)).toEqual([true, false]);
	});

	it('finds levels below the top of the tree, by their original names, with lower-case suffixes', () => {
		const [a, b] = [mesh('Rock_lod0'), mesh('Rock_lod1_1')];
		b.userData.name = 'Rock_lod1';
		const root = group('Scene', group('Wrapper', group('Rock', b, a)));
		expect(levels(root)).toEqual([a, b]);
	});

	it('is the whole scene when nothing is named as a level', () => {
		const root = group('Scene', mesh('Crate'), mesh('Crate_Collider'));
		expect(levels(root)).toEqual([root]);
		expect(showLevel(levels(root), 0)).toBe(0);
		expect(root.visible).toBe(true);
	});
});

describe('hideColliders', () => {
	it('hides every collider node and nothing else', () => {
		const keep = [mesh('Ball_LOD0'), mesh('Ball_LOD1'), mesh('Column')];
		const colliders = [mesh('UCX_Ball_00'), mesh('Ball-convcolonly')];
		const root = group('Ball', ...keep, ...colliders);
		expect(hideColliders(root)).toBe(2);
		expect(colliders.map((c) => c.visible)).toEqual([false, false]);
		expect(keep.map((c) => c.visible)).toEqual([true, true, true]);
		expect(root.visible).toBe(true);
	});
});
