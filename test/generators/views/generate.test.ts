// The multi-view generator through the whole pipeline: pictures of a known box and ellipsoid in, a closed textured
// GLB out whose proportions are the object's, each side textured from its own picture, the budget kept; views that
// cannot show one object, broken view pictures and a cancel each end with their code.
import { describe, expect, it } from 'vitest';
import { analyzeTopology } from '../../../daemon/src/geometry/topology';
import { runPipeline } from '../../../daemon/src/generators/run';
import { loadRuntime } from '../../../daemon/src/generators/runtime';
import { parseGenerateOptions } from '../../../daemon/src/protocol/options';
import type { ExtraView } from '../../../daemon/src/protocol/views';
import { readGlb } from '../../../daemon/src/quality/glb';
import { VIEW_COLORS, viewPng, type ViewObject } from '../../helpers/views';
import { weldByPosition } from '../../helpers/weld';

const OPTIONS = parseGenerateOptions({ resolution: 128, textureSize: 512, maxTriangles: 8000 });
const BOX: ViewObject = { shape: 'box', width: 120, height: 90, depth: 60 };

async function generate(object: ViewObject, views: ExtraView[], scales: Partial<Record<ExtraView, number>> = {}) {
	const runtime = await loadRuntime();
	const input = {
		bytes: viewPng(object, 'front'),
		name: 'object',
		views: views.map((view) => ({ view, bytes: viewPng(object, view, { scale: scales[view] ?? 1, offset: scales[view] ? [9, -7] : [0, 0] }) })),
	};
	const result = await runPipeline(input, OPTIONS, runtime, {});
	return { result, mesh: await readGlb(result.glb) };
}

function extents(positions: Float32Array): [number, number, number] {
	const min = [Infinity, Infinity, Infinity];
	const max = [-Infinity, -Infinity, -Infinity];
	for (let k = 0; k < positions.length; k += 3) {
		for (let c = 0; c < 3; c++) {
			min[c] = Math.min(min[c], positions[k + c]);
			max[c] = Math.max(max[c], positions[k + c]);
		}
	}
	return [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
}

/** Mean texture colour over the triangles whose normal points along `axis` (±1 on one axis). */
function colourFacing(mesh: Awaited<ReturnType<typeof readGlb>>, axis: [number, number, number]): number[] {
	const { positions, indices, uvs, texture } = mesh;
	const sum = [0, 0, 0];
	let n = 0;
	for (let t = 0; t < indices.length; t += 3) {
		const [a, b, c] = [indices[t], indices[t + 1], indices[t + 2]];
		const e1 = [0, 1, 2].map((k) => positions[b * 3 + k] - positions[a * 3 + k]);
		const e2 = [0, 1, 2].map((k) => positions[c * 3 + k] - positions[a * 3 + k]);
		const normal = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
		const length = Math.hypot(...normal) || 1;
		if (normal[0] * axis[0] + normal[1] * axis[1] + normal[2] * axis[2] < 0.95 * length) continue;
		const u = (uvs![a * 2] + uvs![b * 2] + uvs![c * 2]) / 3;
		const v = (uvs![a * 2 + 1] + uvs![b * 2 + 1] + uvs![c * 2 + 1]) / 3;
		const x = Math.min(texture!.width - 1, Math.floor(u * texture!.width));
		const y = Math.min(texture!.height - 1, Math.floor(v * texture!.height));
		for (let ch = 0; ch < 3; ch++) sum[ch] += texture!.data[(y * texture!.width + x) * 4 + ch];
		n++;
	}
	return sum.map((s) => s / Math.max(1, n));
}

/** Which view's colour a mean colour is nearest to. */
function nearestView(rgb: number[]): string {
	let best = '';
	let distance = Infinity;
	for (const [view, colour] of Object.entries(VIEW_COLORS)) {
		const d = Math.hypot(...colour.map((c, k) => c * 0.87 - rgb[k]));
		if (d < distance) [best, distance] = [view, d];
	}
	return best;
}

describe('generate from several views', () => {
	it("carves a box from front, right and top with the box's proportions, closed and within the budget", async () => {
		const { result, mesh } = await generate(BOX, ['right', 'top']);
		const welded = weldByPosition(mesh);
		const report = analyzeTopology(welded.positions, welded.indices);
		expect(report.watertight).toBe(true);
		expect(report.components).toBe(1);
		expect(result.stats.triangles).toBeLessThanOrEqual(OPTIONS.maxTriangles);
		const [w, h, d] = extents(mesh.positions);
		expect(h).toBeCloseTo(1, 2);
		expect(w / h).toBeGreaterThan((BOX.width / BOX.height) * 0.95);
		expect(w / h).toBeLessThan((BOX.width / BOX.height) * 1.05);
		expect(d / h).toBeGreaterThan((BOX.depth / BOX.height) * 0.95);
		expect(d / h).toBeLessThan((BOX.depth / BOX.height) * 1.05);
		expect(Object.keys(result.stats.views!).sort()).toEqual(['front', 'right', 'top']);
		for (const iou of Object.values(result.stats.views!)) expect(iou).toBeGreaterThan(0.9);
	});

	it('aligns views drawn at another scale and position by their shared extents', async () => {
		const aligned = extents((await generate(BOX, ['right', 'top'])).mesh.positions);
		const shifted = extents((await generate(BOX, ['right', 'top'], { right: 1.6, top: 0.7 })).mesh.positions);
		for (let c = 0; c < 3; c++) expect(shifted[c]).toBeCloseTo(aligned[c], 1);
	});

	it('textures each side from the picture that sees it, the back from the back picture when there is one', async () => {
		const { mesh } = await generate(BOX, ['right', 'top', 'back']);
		expect(nearestView(colourFacing(mesh, [0, 0, 1]))).toBe('front');
		expect(nearestView(colourFacing(mesh, [1, 0, 0]))).toBe('right');
		expect(nearestView(colourFacing(mesh, [0, 1, 0]))).toBe('top');
		expect(nearestView(colourFacing(mesh, [0, 0, -1]))).toBe('back');
	});

	it('rounds what the outlines allow: an ellipsoid is not carved into a box', async () => {
		const ellipsoid: ViewObject = { shape: 'ellipsoid', width: 120, height: 100, depth: 80 };
		const { mesh } = await generate(ellipsoid, ['right', 'top']);
		const [w, h, d] = extents(mesh.positions);
		const volume = analyzeTopology(weldByPosition(mesh).positions, weldByPosition(mesh).indices).signedVolume;
		// An ellipsoid fills π/6 ≈ 0.52 of its box; the plain hull of its three outlines fills 0.59.
		expect(volume / (w * h * d)).toBeLessThan(0.575);
		expect(volume / (w * h * d)).toBeGreaterThan(0.45);
	});

	it('refuses a view of another object with E_VIEWS naming that view', async () => {
		const runtime = await loadRuntime();
		const other: ViewObject = { shape: 'ellipsoid', width: 60, height: 200, depth: 200 };
		const input = { bytes: viewPng(BOX, 'front'), name: 'object', views: [{ view: 'top' as const, bytes: viewPng(BOX, 'top') }, { view: 'right' as const, bytes: viewPng(other, 'top', { size: 256 }) }] };
		await expect(runPipeline(input, OPTIONS, runtime, {})).rejects.toMatchObject({ code: 'E_VIEWS', details: expect.objectContaining({ view: expect.stringMatching(/right|top/) }) });
	});

	it('names the view whose picture cannot be read', async () => {
		const runtime = await loadRuntime();
		const input = { bytes: viewPng(BOX, 'front'), name: 'object', views: [{ view: 'right' as const, bytes: new Uint8Array([1, 2, 3, 4]) }] };
		await expect(runPipeline(input, OPTIONS, runtime, {})).rejects.toMatchObject({ code: 'E_IMAGE_DECODE', message: expect.stringMatching(/^The right view: /) });
	});

	it('stops when cancelled', async () => {
		const runtime = await loadRuntime();
		const controller = new AbortController();
		const input = { bytes: viewPng(BOX, 'front'), name: 'object', views: [{ view: 'right' as const, bytes: viewPng(BOX, 'right') }] };
		const run = runPipeline(input, OPTIONS, runtime, { signal: controller.signal, onProgress: (e) => e.stage === 'shape' && controller.abort() });
		await expect(run).rejects.toThrow();
		expect(controller.signal.aborted).toBe(true);
	});
});
