// stats.ts on three.js objects built here: what is counted (the shown level only, shared arrays once) and how
// the panel writes it.
import { BoxGeometry, BufferGeometry, Group, InstancedMesh, Mesh, MeshBasicMaterial, MeshStandardMaterial, Texture } from 'three';
import { describe, expect, it } from 'vitest';
import { ModelStats } from '../../webview/src/messages';
import { hideColliders, levels, showLevel } from '../../webview/src/preview/lods';
import { formatBytes, formatCount, formatSize, formatTextures, modelStats, visibleBox } from '../../webview/src/preview/stats';

const INPUT = { lods: 1, fileBytes: 1234 };

function named<T extends { name: string }>(object: T, name: string): T {
	object.name = name;
	return object;
}

/** A texture whose image reports `width` × `height`, as a decoded ImageBitmap would. */
function texture(width: number, height: number): Texture {
	const made = new Texture();
	made.image = { width, height };
	return made;
}

describe('modelStats', () => {
	it('counts an indexed box: 24 vertices, 12 triangles, one material, its size', () => {
		const box = new Mesh(new BoxGeometry(0.6, 1, 0.4), new MeshStandardMaterial());
		box.position.set(5, 0.5, 0);
		const stats = modelStats(new Group().add(box), INPUT);
		expect(ModelStats.parse(stats)).toEqual(stats);
		expect(stats).toMatchObject({ vertices: 24, triangles: 12, materials: 1, textures: [], fileBytes: 1234, lods: 1 });
		expect(stats.size.map((v) => Number(v.toFixed(6)))).toEqual([0.6, 1, 0.4]);
	});

	it('counts unindexed triangles from the vertex count', () => {
		const stats = modelStats(new Mesh(new BoxGeometry().toNonIndexed(), new MeshBasicMaterial()), INPUT);
		expect(stats).toMatchObject({ vertices: 36, triangles: 12 });
	});

	it('counts only the shown LOD level, never a hidden collider, and sizes what is shown', () => {
		const lod0 = named(new Mesh(new BoxGeometry(2, 2, 2, 4, 4, 4), new MeshStandardMaterial()), 'Ball_LOD0');
		const lod1 = named(new Mesh(new BoxGeometry(1, 1, 1), new MeshStandardMaterial()), 'Ball_LOD1');
		const collider = named(new Mesh(new BoxGeometry(9, 9, 9), new MeshBasicMaterial()), 'UCX_Ball_00');
		const root = new Group().add(named(new Group(), 'Ball').add(lod0, lod1, collider));
		hideColliders(root);
		const found = levels(root);
		showLevel(found, 0);
		const fine = modelStats(root, { lods: found.length, fileBytes: 1 });
		expect(fine).toMatchObject({ vertices: lod0.geometry.attributes.position.count, triangles: lod0.geometry.index!.count / 3, materials: 1, lods: 2 });
		expect(fine.size).toEqual([2, 2, 2]);
		showLevel(found, 1);
		const coarse = modelStats(root, { lods: found.length, fileBytes: 1 });
		expect(coarse).toMatchObject({ vertices: 24, triangles: 12, materials: 1, lods: 2 });
		expect(coarse.size).toEqual([1, 1, 1]);
		expect(visibleBox(root).max.x).toBe(0.5);
	});

	it('counts a position array shared by two primitives once, as GLTFLoader builds a two-material mesh', () => {
		const geometry = new BoxGeometry();
		const top = new BufferGeometry();
		top.setAttribute('position', geometry.getAttribute('position'));
		top.setIndex(Array.from(geometry.index!.array.slice(0, 6)));
		const rest = new BufferGeometry();
		rest.setAttribute('position', geometry.getAttribute('position'));
		rest.setIndex(Array.from(geometry.index!.array.slice(6)));
		const [a, b] = [new MeshStandardMaterial(), new MeshStandardMaterial()];
		const stats = modelStats(new Group().add(new Mesh(top, a), new Mesh(rest, b)), INPUT);
		expect(stats).toMatchObject({ vertices: 24, triangles: 12, materials: 2 });
	});

	it('lists each texture once with its image size, from any material slot', () => {
		const [color, normal] = [texture(1024, 1024), texture(512, 256)];
		const shared = new MeshStandardMaterial({ map: color, normalMap: normal });
		const other = new MeshStandardMaterial({ map: color });
		const stats = modelStats(new Group().add(new Mesh(new BoxGeometry(), shared), new Mesh(new BoxGeometry(), shared), new Mesh(new BoxGeometry(), other)), INPUT);
		expect(stats.materials).toBe(2);
		expect(stats.textures).toEqual([
			{ width: 1024, height: 1024 },
			{ width: 512, height: 256 },
		]);
	});

	it('counts every instance of an instanced mesh', () => {
		const stats = modelStats(new InstancedMesh(new BoxGeometry(), new MeshBasicMaterial(), 3), INPUT);
		expect(stats).toMatchObject({ vertices: 72, triangles: 36, materials: 1 });
	});

	it('reports zeros and a zero size for a scene without meshes', () => {
		// A mesh without positions (a placeholder some exporters leave) is skipped like an empty group.
		const empty = new Group().add(new Group(), new Group().add(new Mesh(new BufferGeometry(), new MeshBasicMaterial())));
		expect(modelStats(empty, INPUT)).toMatchObject({ vertices: 0, triangles: 0, materials: 0, size: [0, 0, 0] });
	});
});

describe('formatting', () => {
	it('groups thousands with commas', () => {
		expect(formatCount(0)).toBe('0');
		expect(formatCount(999)).toBe('999');
		expect(formatCount(12345)).toBe('12,345');
		expect(formatCount(1234567)).toBe('1,234,567');
	});

	it('writes byte sizes in powers of 1024', () => {
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(1536)).toBe('1.5 KB');
		expect(formatBytes(1.2 * 1024 * 1024)).toBe('1.2 MB');
		expect(formatBytes(123 * 1024 * 1024)).toBe('123 MB');
		expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
	});

	it('writes sizes in metres, with a third digit for small things', () => {
		expect(formatSize([0.6, 1, 0.4])).toBe('0.60 × 1.00 × 0.40 m');
		expect(formatSize([0.05, 0.02, 0.01])).toBe('0.050 × 0.020 × 0.010 m');
	});

	it('writes texture sizes, counting repeats', () => {
		expect(formatTextures([])).toBe('none');
		expect(formatTextures([{ width: 1024, height: 1024 }])).toBe('1024×1024');
		expect(
			formatTextures([
				{ width: 1024, height: 1024 },
				{ width: 512, height: 256 },
				{ width: 1024, height: 1024 },
			]),
		).toBe('2 × 1024×1024, 512×256');
	});
});
