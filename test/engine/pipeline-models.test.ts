// The tiny test models through the real engine (onnxruntime-node, CPU) in the real pipeline: an implicit
// sphere becomes a closed mesh of the right area and volume, a depth model's bump rises where it should, and
// a segmentation model's mask decides the silhouette.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../daemon/src/engine/engine';
import { bounds } from '../../daemon/src/geometry/place';
import { enclosedVolume, surfaceArea } from '../../daemon/src/geometry/measure';
import { analyzeTopology } from '../../daemon/src/geometry/topology';
import { weldByPosition } from '../helpers/weld';
import { Home } from '../../daemon/src/jobs/home';
import { runPipeline, type PipelineRuntime } from '../../daemon/src/generators/run';
import { loadRuntime } from '../../daemon/src/generators/runtime';
import { parseGenerateOptions, type GenerateOptionsInput } from '../../daemon/src/protocol/options';
import { readGlb } from '../../daemon/src/quality/glb';
import { silhouetteIoU } from '../../daemon/src/quality/raster';
import { radialBumpDepth, sphereImplicit, thresholdSegmentation } from '../../models/testing/models';
import { ellipse, paint } from '../fixtures/draw';
import { ALL_FIXTURES } from '../fixtures/images';
import { installTestModel } from '../helpers/models';

let home: Home;
let runtime: PipelineRuntime;

beforeAll(async () => {
	home = new Home(mkdtempSync(path.join(tmpdir(), 'orfeas-engine-')));
	await home.prepare();
	installTestModel(home, sphereImplicit(), 'test-sphere');
	installTestModel(home, radialBumpDepth(), 'test-bump');
	// "Background" is red for this one: it calls subject whatever is not red.
	installTestModel(home, thresholdSegmentation({ background: [1, 0, 0] }), 'test-not-red');
	const engine = await Engine.create({ home, catalogueDir: path.join(home.root, 'no-catalogue'), providers: ['cpu'], intraOpThreads: 2, budgetBytes: 256 * 2 ** 20 });
	runtime = { ...(await loadRuntime()), engine };
});

afterAll(() => rmSync(home.root, { recursive: true, force: true }));

async function generate(bytes: Uint8Array, options: GenerateOptionsInput) {
	const result = await runPipeline({ bytes, name: 'm' }, parseGenerateOptions(options), runtime, {});
	return { result, mesh: await readGlb(result.glb) };
}

describe('learned models in the pipeline', () => {
	it('turns the implicit sphere into a closed mesh with the area and volume of a sphere (within 2 %)', async () => {
		const { result, mesh } = await generate((await ALL_FIXTURES.disc(256)).bytes, { model: 'test-sphere', resolution: 128, maxTriangles: 30000 });
		const welded = weldByPosition(mesh);
		const topology = analyzeTopology(welded.positions, welded.indices);
		expect(topology).toMatchObject({ closed: true, eulerCharacteristic: 2, components: 1 });
		const { min, max } = bounds(mesh.positions);
		// Height 1 m: the sphere's radius is 0.5 m.
		expect(max[1] - min[1]).toBeCloseTo(1, 2);
		const r = 0.5;
		expect(Math.abs(surfaceArea(welded.positions, welded.indices) / (4 * Math.PI * r * r) - 1)).toBeLessThan(0.02);
		expect(Math.abs(enclosedVolume(welded.positions, welded.indices) / ((4 / 3) * Math.PI * r ** 3) - 1)).toBeLessThan(0.02);
		expect(result.stats.triangles).toBeLessThanOrEqual(30000);
		// The decoder's colour (p + 1) / 2 over a sphere of radius 0.5 spans red 64–191: baked, not flat.
		const pixels = mesh.texture!.data;
		let min0 = 255;
		let max0 = 0;
		for (let i = 0; i < pixels.length; i += 4) {
			min0 = Math.min(min0, pixels[i]);
			max0 = Math.max(max0, pixels[i]);
		}
		expect(max0 - min0).toBeGreaterThan(110);
	});

	it('raises the front where the depth model says the subject is nearer', async () => {
		const disc = (await ALL_FIXTURES.disc(256)).bytes;
		const plain = await generate(disc, { resolution: 96 });
		const relief = await generate(disc, { model: 'test-bump', resolution: 96 });
		const frontAt = (positions: Float32Array, x: number, y: number) => {
			let best = -Infinity;
			for (let v = 0; v < positions.length; v += 3) {
				if (Math.hypot(positions[v] - x, positions[v + 1] - y) < 0.06) best = Math.max(best, positions[v + 2]);
			}
			return best;
		};
		const b0 = bounds(plain.mesh.positions);
		const b1 = bounds(relief.mesh.positions);
		const centre = (b: { min: number[]; max: number[] }) => [(b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2] as const;
		// At the centre the bump adds clearly; near the rim it adds little.
		const gainCentre = frontAt(relief.mesh.positions, ...centre(b1)) - frontAt(plain.mesh.positions, ...centre(b0));
		const rim = (b: { min: number[]; max: number[] }) => [(b.min[0] + b.max[0]) / 2 + 0.4 * (b.max[0] - b.min[0]), (b.min[1] + b.max[1]) / 2] as const;
		const gainRim = frontAt(relief.mesh.positions, ...rim(b1)) - frontAt(plain.mesh.positions, ...rim(b0));
		expect(gainCentre).toBeGreaterThan(0.1);
		expect(gainCentre).toBeGreaterThan(3 * Math.max(gainRim, 0.01));
		expect(analyzeTopology(relief.mesh.positions, relief.mesh.indices).watertight).toBe(true);
	});

	it("uses the segmentation model's mask, not the built-in one", async () => {
		// A red disc on white: chroma would take the disc; this model takes everything that is not red.
		const size = 200;
		const painted = paint(size, size, ellipse(100, 100, 55, 55), () => [230, 0, 0], { color: [255, 255, 255], opaque: true });
		const bytes = await sharp(painted.rgba.data, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
		const { result, mesh } = await generate(bytes, { segmentation: 'test-not-red', resolution: 64 });
		expect(result.stats.segmentation).toBe('model');
		const notRed = { data: Uint8Array.from(painted.mask.data, (v) => 255 - v), width: size, height: size };
		expect(silhouetteIoU(mesh, notRed)).toBeGreaterThan(0.95);
		// The frame around the disc has a hole where the disc was: a torus, where chroma would give a sphere.
		expect(analyzeTopology(mesh.positions, mesh.indices)).toMatchObject({ watertight: true, eulerCharacteristic: 0 });
	});

	it('refuses a model that is not installed with the command that installs it', async () => {
		const disc = (await ALL_FIXTURES.disc(128)).bytes;
		await expect(generate(disc, { model: 'depth-anything-v2-small' })).rejects.toMatchObject({ code: 'E_MODEL_MISSING', message: expect.stringMatching(/orfeas models pull depth-anything-v2-small/) });
		await expect(generate(disc, { model: 'test-not-red' })).rejects.toMatchObject({ code: 'E_MODEL_MISSING', message: expect.stringMatching(/segmentation model/) });
	});
});
