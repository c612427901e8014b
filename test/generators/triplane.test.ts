// Triplane models (TripoSR's layout) through the real engine (onnxruntime-node, CPU) and the real pipeline, with the
// project's analytic stand-ins: an off-centre ellipsoid of three different semi-axes, coloured red toward the camera,
// green to the picture's right and blue up. Both decoder contracts the public exports use (sampled features, or the
// triplane and points) must give the same closed model, the right way round, with the colours where they belong;
// a mirrored frame in the manifest must still face out; a model whose tensors are not its manifest's, a picture
// with no subject and a cancel end with their coded errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, inferenceError } from '../../daemon/src/engine/engine';
import { runPipeline, type PipelineRuntime, type StageProgress } from '../../daemon/src/generators/run';
import { loadRuntime } from '../../daemon/src/generators/runtime';
import { enclosedVolume } from '../../daemon/src/geometry/measure';
import { bounds } from '../../daemon/src/geometry/place';
import { analyzeTopology } from '../../daemon/src/geometry/topology';
import { Home } from '../../daemon/src/jobs/home';
import { parseGenerateOptions, type GenerateOptionsInput } from '../../daemon/src/protocol/options';
import { readGlb, type GlbMesh } from '../../daemon/src/quality/glb';
import { ellipsoidTriplane, ELLIPSOID_TRIPLANE_DEFAULTS, type TestModel } from '../../models/testing/models';
import { ALL_FIXTURES } from '../fixtures/images';
import { installTestModel } from '../helpers/models';
import { weldByPosition } from '../helpers/weld';

let home: Home;
let runtime: PipelineRuntime;

/** The features model with another manifest: what a model installed over a different export would look like. */
function withTriplane(model: TestModel<'encoder' | 'decoder'>, change: (t: NonNullable<TestModel['description']['triplane']>) => object): TestModel<'encoder' | 'decoder'> {
	return { ...model, description: { ...model.description, triplane: { ...model.description.triplane!, ...change(model.description.triplane!) } as never } };
}

beforeAll(async () => {
	home = new Home(mkdtempSync(path.join(tmpdir(), 'orfeas-triplane-')));
	await home.prepare();
	const features = ellipsoidTriplane({ decoder: 'features' });
	const points = ellipsoidTriplane({ decoder: 'points' });
	installTestModel(home, features, 'ellipsoid-features');
	installTestModel(home, points, 'ellipsoid-points');
	// The model's world seen in a mirror: its +y is the picture's left.
	installTestModel(home, withTriplane(points, (t) => ({ frame: { ...t.frame, right: '-y' } })), 'ellipsoid-mirrored');
	installTestModel(home, withTriplane(features, (t) => ({ shape: [3, 32, t.shape[2], t.shape[3]] })), 'wrong-channels');
	installTestModel(home, withTriplane(features, () => ({ decoder: { input: 'features', features: 'samples' } })), 'wrong-input');
	const engine = await Engine.create({ home, catalogueDir: path.join(home.root, 'no-catalogue'), providers: ['cpu'], intraOpThreads: 2, budgetBytes: 256 * 2 ** 20 });
	runtime = { ...(await loadRuntime()), engine };
});

afterAll(() => rmSync(home.root, { recursive: true, force: true }));

async function generate(options: GenerateOptionsInput, bytes?: Uint8Array, signal?: AbortSignal, onProgress?: (e: StageProgress) => void) {
	const picture = bytes ?? (await ALL_FIXTURES.disc(256)).bytes;
	const result = await runPipeline({ bytes: picture, name: 'm' }, parseGenerateOptions(options), runtime, { signal, onProgress });
	return { result, mesh: await readGlb(result.glb) };
}

/** Texture colour at the vertex that reaches furthest along `axis` (sign +1) or against it (−1). */
function colourAtExtreme(mesh: GlbMesh, axis: number, sign: number): [number, number, number] {
	let best = 0;
	for (let v = 0; v < mesh.positions.length / 3; v++) if (sign * mesh.positions[v * 3 + axis] > sign * mesh.positions[best * 3 + axis]) best = v;
	const { texture, uvs } = mesh;
	const x = Math.min(texture!.width - 1, Math.floor(uvs![best * 2] * texture!.width));
	const y = Math.min(texture!.height - 1, Math.floor(uvs![best * 2 + 1] * texture!.height));
	const o = (y * texture!.width + x) * 4;
	return [texture!.data[o], texture!.data[o + 1], texture!.data[o + 2]];
}

/** The ellipsoid's extents in our frame, height 1: width from TripoSR's y, depth from its x. */
const [rx, ry, rz] = ELLIPSOID_TRIPLANE_DEFAULTS.radii;
const EXPECTED = { width: ry / rz, height: 1, depth: rx / rz };

function expectEllipsoid(mesh: GlbMesh, rightSign = 1): void {
	const welded = weldByPosition(mesh);
	expect(analyzeTopology(welded.positions, welded.indices)).toMatchObject({ closed: true, watertight: true, nonManifoldEdges: 0, nonManifoldVertices: 0, components: 1, eulerCharacteristic: 2 });
	expect(enclosedVolume(welded.positions, welded.indices)).toBeGreaterThan(0);
	const { min, max } = bounds(mesh.positions);
	expect(max[0] - min[0]).toBeCloseTo(EXPECTED.width, 1);
	expect(max[1] - min[1]).toBeCloseTo(EXPECTED.height, 2);
	expect(max[2] - min[2]).toBeCloseTo(EXPECTED.depth, 1);
	expect(Math.abs(max[0] - min[0] - EXPECTED.width)).toBeLessThan(0.02);
	expect(Math.abs(max[2] - min[2] - EXPECTED.depth)).toBeLessThan(0.02);
	// Red toward the camera (+z), green to the picture's right (+x), blue up (+y); each gone on the opposite side.
	const channel = (axis: number, sign: number, c: number) => colourAtExtreme(mesh, axis, sign)[c];
	expect(channel(2, 1, 0)).toBeGreaterThan(215);
	expect(channel(2, -1, 0)).toBeLessThan(40);
	expect(channel(0, rightSign, 1)).toBeGreaterThan(215);
	expect(channel(0, -rightSign, 1)).toBeLessThan(40);
	expect(channel(1, 1, 2)).toBeGreaterThan(215);
	expect(channel(1, -1, 2)).toBeLessThan(40);
}

describe('triplane models in the pipeline', () => {
	it('makes the closed, upright, coloured ellipsoid from a features decoder, through encode, isosurface and texture', async () => {
		const events: StageProgress[] = [];
		const { result, mesh } = await generate({ model: 'ellipsoid-features' }, undefined, undefined, (e) => events.push(e));
		expectEllipsoid(mesh);
		const stages = [...new Set(events.map((e) => e.stage))];
		expect(stages).toEqual(['decode', 'segment', 'encode', 'isosurface', 'texture', 'optimize', 'export']);
		expect(events.every((e) => e.stageCount === 7 && e.stages[e.stageIndex] === e.stage)).toBe(true);
		for (let i = 1; i < events.length; i++) expect(events[i].progress).toBeGreaterThanOrEqual(events[i - 1].progress);
		expect(Object.keys(result.stats.ms)).toEqual(stages);
		expect(result.stats.triangles).toBeLessThanOrEqual(20000);
	});

	it('makes the same model from a decoder that takes the triplane and points, at the texture size asked for', async () => {
		const { mesh } = await generate({ model: 'ellipsoid-points', resolution: 128, textureSize: 512 });
		expectEllipsoid(mesh);
		expect([mesh.texture?.width, mesh.texture?.height]).toEqual([512, 512]);
	});

	it('turns a mirrored model frame round and keeps the triangles facing out', async () => {
		const { mesh } = await generate({ model: 'ellipsoid-mirrored', resolution: 128 });
		// The manifest says the model's +y is the picture's left: green ends on our −x, the volume stays positive.
		expectEllipsoid(mesh, -1);
	});

	it('refuses a model whose tensors are not its manifest\'s, naming the tensor and both shapes', async () => {
		await expect(generate({ model: 'wrong-channels', resolution: 64 })).rejects.toMatchObject({
			code: 'E_MODEL_LOAD',
			message: expect.stringMatching(/encoder's output "triplane" is \[1, 3, 40, 64, 64\], but the manifest says \[1, 3, 32, 64, 64\]/),
		});
		await expect(generate({ model: 'wrong-input', resolution: 64 })).rejects.toMatchObject({
			code: 'E_MODEL_LOAD',
			message: expect.stringMatching(/decoder has no input "samples" \(it has features\)/),
		});
	});

	it('says there is no subject before the encoder runs', async () => {
		const empty = await sharp({ create: { width: 128, height: 128, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
		const stages = new Set<string>();
		await expect(generate({ model: 'ellipsoid-features', resolution: 64 }, empty, undefined, (e) => stages.add(e.stage))).rejects.toMatchObject({ code: 'E_IMAGE_NO_SUBJECT' });
		expect(stages.has('encode')).toBe(false);
	});

	it('stops at a cancel during the isosurface: no stage after it starts', async () => {
		const controller = new AbortController();
		const seen: StageProgress[] = [];
		const run = generate({ model: 'ellipsoid-features' }, undefined, controller.signal, (e) => {
			seen.push(e);
			if (e.stage === 'isosurface' && e.stageProgress > 0.1) controller.abort();
		});
		await expect(run).rejects.toMatchObject({ name: 'AbortError' });
		expect(seen.some((e) => e.stage === 'isosurface')).toBe(true);
		expect(seen.some((e) => e.stage === 'texture' || e.stage === 'optimize')).toBe(false);
	});
});

describe('inference errors', () => {
	it('turns running out of memory into E_OUT_OF_MEMORY with what to try, and anything else into E_INFERENCE', () => {
		const oom = inferenceError(new Error('Failed to allocate memory for requested buffer of size 1073741824\n at …'));
		expect(oom.code).toBe('E_OUT_OF_MEMORY');
		expect(oom.message).toMatch(/lower resolution.*--providers cpu/);
		expect(inferenceError(new Error('Unexpected input data type')).code).toBe('E_INFERENCE');
	});
});
