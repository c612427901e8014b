// Acceptance of the whole pipeline on the generated pictures: a closed, 2-manifold, outward-oriented mesh with
// the picture's topology, its silhouette, the requested size and placement, and a GLB the Khronos validator accepts.
import { describe, expect, it } from 'vitest';
import type { GrayImage } from '../../daemon/src/pipeline/types';
import type { GlbMesh } from '../../daemon/src/quality/glb';
import { renderFront, silhouetteIoU } from '../../daemon/src/quality/raster';
import { ALL_FIXTURES, type FixtureName } from '../fixtures/images';
import { bounds } from '../../daemon/src/geometry/place';
import { generate } from '../helpers/generate';
import { validateGlb } from '../helpers/validate';

const names = Object.keys(ALL_FIXTURES) as FixtureName[];

describe.each(names)('generate(%s)', (name) => {
	it('is watertight with the picture topology, its silhouette, size and placement, and a valid GLB', async () => {
		const fixture = await ALL_FIXTURES[name]();
		const { result, mesh, topology } = await generate(fixture.bytes, name);

		expect(result.stats.segmentation).toBe(fixture.segmentation);
		expect(topology).toMatchObject({
			closed: true,
			boundaryEdges: 0,
			nonManifoldEdges: 0,
			nonManifoldVertices: 0,
			inconsistentEdges: 0,
			degenerateTriangles: 0,
			watertight: true,
			components: fixture.components,
			eulerCharacteristic: fixture.euler,
		});
		expect(topology.signedVolume).toBeGreaterThan(0);

		expect(silhouetteIoU(mesh, fixture.mask)).toBeGreaterThanOrEqual(0.97);

		const { min, max } = bounds(mesh.positions);
		expect(max[1] - min[1]).toBeCloseTo(1, 2);
		expect(Math.abs(max[1] - min[1] - 1)).toBeLessThanOrEqual(0.01);
		expect(min[1]).toBeCloseTo(0, 6);
		expect((min[0] + max[0]) / 2).toBeCloseTo(0, 6);
		expect((min[2] + max[2]) / 2).toBeCloseTo(0, 6);
		expect(result.stats.triangles).toBeLessThanOrEqual(20_000);
		expect(result.stats.triangles).toBe(topology.triangles);

		expect(mesh.nodeNames).toEqual([name]);
		expect(mesh.materialNames).toEqual([name]);
		expect(mesh.texture?.width).toBe(1024);

		const report = await validateGlb(result.glb);
		expect(report.messages.filter((m) => m.severity === 0)).toEqual([]);
		expect(report.errors).toBe(0);
	});
});

describe('thin parts', () => {
	it.each(['antennae', 'antennaeOnBlue'] as FixtureName[])(
		'shows every antenna of %s, 1–2 px wide, in the front silhouette of one closed model',
		async (name) => {
			const fixture = await ALL_FIXTURES[name]();
			const { mesh, topology } = await generate(fixture.bytes, name);
			expect(topology).toMatchObject({ watertight: true, components: 1, eulerCharacteristic: 2 });
			expect(silhouetteIoU(mesh, fixture.mask)).toBeGreaterThanOrEqual(0.95);
			expect(coveredShare(mesh, fixture.mask, fixture.thin!)).toBeGreaterThanOrEqual(0.9);
		},
	);

	it('keeps a small triangle budget with the antennae, still one closed model', async () => {
		const fixture = await ALL_FIXTURES.antennae();
		const { result, topology } = await generate(fixture.bytes, 'antennae', { maxTriangles: 5000 });
		expect(result.stats.triangles).toBeLessThanOrEqual(5000 * 1.02);
		expect(topology).toMatchObject({ watertight: true, components: 1, eulerCharacteristic: 2 });
	});
});

/**
 * The share of the `part` pixels that the model's front silhouette covers, drawn in the frame silhouetteIoU uses:
 * the model's XY box over the mask's box, pixel for pixel.
 */
function coveredShare(mesh: GlbMesh, mask: GrayImage, part: GrayImage): number {
	let [x0, y0, x1, y1] = [mask.width, mask.height, -1, -1];
	for (let p = 0; p < mask.data.length; p++) {
		if (mask.data[p] < 128) continue;
		const [x, y] = [p % mask.width, Math.floor(p / mask.width)];
		[x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
	}
	const [width, height] = [x1 - x0 + 1, y1 - y0 + 1];
	const { min, max } = bounds(mesh.positions);
	const { coverage } = renderFront(mesh, { x0: min[0], y0: min[1], x1: max[0], y1: max[1], width, height });
	let [total, covered] = [0, 0];
	for (let p = 0; p < part.data.length; p++) {
		if (!part.data[p]) continue;
		const [x, y] = [(p % part.width) - x0, Math.floor(p / part.width) - y0];
		total++;
		covered += coverage[y * width + x];
	}
	return covered / total;
}

describe('generate options', () => {
	it('scales to the requested height and keeps the silhouette at other resolutions and thicknesses', async () => {
		const fixture = await ALL_FIXTURES.lShape();
		for (const options of [
			{ height: 2.5, resolution: 64, thickness: 0.2 },
			{ height: 0.3, resolution: 512, thickness: 1, textureSize: 512 },
		]) {
			const { mesh, topology } = await generate(fixture.bytes, 'l', options);
			const { min, max } = bounds(mesh.positions);
			expect(Math.abs(max[1] - min[1] - options.height) / options.height).toBeLessThanOrEqual(0.01);
			expect(topology.watertight).toBe(true);
			expect(topology.eulerCharacteristic).toBe(2);
			expect(silhouetteIoU(mesh, fixture.mask)).toBeGreaterThanOrEqual(0.97);
		}
	});

	it('makes thicker models with a larger thickness', async () => {
		const fixture = await ALL_FIXTURES.disc();
		const depth = async (thickness: number) => {
			const { mesh } = await generate(fixture.bytes, 'disc', { thickness });
			const { min, max } = bounds(mesh.positions);
			return (max[2] - min[2]) / (max[1] - min[1]);
		};
		const thin = await depth(0.2);
		const round = await depth(1);
		// At thickness 1 a disc becomes a sphere: as deep as it is tall.
		expect(round).toBeGreaterThan(0.9);
		expect(round).toBeLessThan(1.05);
		expect(thin).toBeGreaterThan(0.15);
		expect(thin).toBeLessThan(0.25);
	});

	it('keeps to a small triangle budget', async () => {
		const fixture = await ALL_FIXTURES.ring();
		const { topology } = await generate(fixture.bytes, 'ring', { maxTriangles: 2000 });
		expect(topology.triangles).toBeLessThanOrEqual(2000);
		expect(topology.watertight).toBe(true);
		expect(topology.eulerCharacteristic).toBe(0);
	});
});
