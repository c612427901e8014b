// A triplane model from the command line, as a user meets it: `orfeas models list` shows the TripoSR exports of
// the catalogue (MIT, with what they need) and an installed triplane model; `orfeas generate --model` makes the
// model with it; a catalogued one not yet pulled says how to pull it. The installed model is the project's
// analytic stand-in in TripoSR's tensor layout (models/testing): no weights are downloaded.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bounds } from '../../daemon/src/geometry/place';
import { analyzeTopology } from '../../daemon/src/geometry/topology';
import { Home } from '../../daemon/src/jobs/home';
import { readGlb } from '../../daemon/src/quality/glb';
import { ellipsoidTriplane, ELLIPSOID_TRIPLANE_DEFAULTS } from '../../models/testing/models';
import { ALL_FIXTURES } from '../fixtures/images';
import { ensureBuilt, orfeas } from '../helpers/cli';
import { installTestModel } from '../helpers/models';
import { weldByPosition } from '../helpers/weld';

let dir: string;
let home: string;

beforeAll(async () => {
	ensureBuilt();
	dir = mkdtempSync(path.join(tmpdir(), 'orfeas-cli-triplane-'));
	home = path.join(dir, 'home');
	mkdirSync(home);
	const h = new Home(home);
	await h.prepare();
	installTestModel(h, ellipsoidTriplane({ decoder: 'features' }), 'ellipsoid');
	writeFileSync(path.join(dir, 'cat.png'), (await ALL_FIXTURES.disc()).bytes);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('triplane models from the command line', () => {
	it('lists the TripoSR exports (MIT, what they need) beside the installed triplane model', () => {
		const run = orfeas(['models', 'list', '--home', home], dir);
		expect(run.code).toBe(0);
		const lines = run.stdout.split('\n');
		const triposr = lines.filter((l) => l.startsWith('triposr-'));
		expect(triposr.length).toBeGreaterThanOrEqual(3);
		for (const line of triposr) expect(line).toMatch(/^triposr-\S+\s+triplane\s+not installed\s+MIT\s+\S.*download/);
		expect(lines.find((l) => l.startsWith('ellipsoid '))).toMatch(/triplane\s+installed/);
	});

	it('generates with --model: a closed model with the stand-in\'s proportions', async () => {
		const run = orfeas(['generate', 'cat.png', '--model', 'ellipsoid', '--home', home, '--resolution', '128', '-o', 'out/cat.glb'], dir);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^✓ cat\.png → out\/cat\.glb: \d+ vertices, \d+ triangles/);
		const mesh = await readGlb(readFileSync(path.join(dir, 'out', 'cat.glb')));
		const welded = weldByPosition(mesh);
		expect(analyzeTopology(welded.positions, welded.indices)).toMatchObject({ watertight: true, components: 1 });
		const { min, max } = bounds(mesh.positions);
		const [rx, ry, rz] = ELLIPSOID_TRIPLANE_DEFAULTS.radii;
		expect(max[1] - min[1]).toBeCloseTo(1, 2);
		expect(Math.abs(max[0] - min[0] - ry / rz)).toBeLessThan(0.03);
		expect(Math.abs(max[2] - min[2] - rx / rz)).toBeLessThan(0.03);
		expect(mesh.texture?.width).toBe(1024);
	});

	it('says how to pull a catalogued TripoSR export that is not installed', () => {
		const run = orfeas(['generate', 'cat.png', '--model', 'triposr-cgb-webgpu-q8', '--home', home, '-o', 'out/none.glb'], dir);
		expect(run.code).not.toBe(0);
		expect(run.stderr).toMatch(/orfeas models pull triposr-cgb-webgpu-q8/);
		expect(run.stderr).not.toMatch(/\n\s+at\s/);
	});
});
