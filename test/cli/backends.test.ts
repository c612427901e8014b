// `orfeas backends` and `orfeas generate --model BACKEND` as a user meets them, against the Hunyuan3D stand-in
// (test/stand-ins/hunyuan3d) running as a real HTTP process: add, list, test, use and remove a server; bad URLs
// and names refused with a sentence; a server that is down said so at `test`.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hunyuan3d } from '../../daemon/src/generators/remote/hunyuan3d';
import { bounds } from '../../daemon/src/geometry/place';
import { readGlb } from '../../daemon/src/quality/glb';
import { ALL_FIXTURES } from '../fixtures/images';
import { ensureBuilt, orfeas } from '../helpers/cli';
import { startStandIn, type StandIn } from '../helpers/hunyuan3d';
import { BOX, serverBox } from '../helpers/server-models';

let dir: string;
let home: string;
let stand: StandIn;

beforeAll(async () => {
	ensureBuilt();
	dir = mkdtempSync(path.join(tmpdir(), 'orfeas-cli-backends-'));
	home = path.join(dir, 'home');
	mkdirSync(home);
	writeFileSync(path.join(dir, 'box.glb'), (await serverBox(hunyuan3d.frame)).glb);
	writeFileSync(path.join(dir, 'crate.png'), (await ALL_FIXTURES.disc()).bytes);
	stand = await startStandIn(['--glb', path.join(dir, 'box.glb'), '--shape-ms', '200', '--texture-ms', '300'], path.join(dir, 'stand-in.log'));
});

afterAll(async () => {
	await stand?.stop();
	rmSync(dir, { recursive: true, force: true });
});

describe('orfeas backends', () => {
	it('adds a server, lists it, tests it and lists it as a remote model', () => {
		const added = orfeas(['backends', 'add', 'studio', '--kind', 'hunyuan3d', '--url', stand.url, '--texture', '--steps', '5', '--home', home], dir);
		expect(added.stderr).toBe('');
		expect(added.stdout).toMatch(/^Added studio: Hunyuan3D at http:\/\/127\.0\.0\.1:\d+, textured\. Use it with --model studio/);
		expect(orfeas(['backends', 'list', '--home', home], dir).stdout).toMatch(/^studio\s+hunyuan3d\s+http:\/\/127\.0\.0\.1:\d+\s+textured, steps 5\s+never checked/m);
		const tested = orfeas(['backends', 'test', 'studio', '--home', home], dir);
		expect(tested.code).toBe(0);
		expect(tested.stdout).toMatch(/✓ studio answers at .*: healthy \(worker \w+\)/);
		expect(orfeas(['backends', 'list', '--home', home], dir).stdout).toMatch(/^studio .* reachable at \d{4}-/m);
		expect(orfeas(['models', 'list', '--home', home], dir).stdout).toMatch(/^studio\s+remote\s+installed/m);
	});

	it('generates with --model studio: the server\'s model in our frame, 1 m tall', async () => {
		const run = orfeas(['generate', 'crate.png', '--model', 'studio', '--home', home, '-o', 'out/crate.glb'], dir);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const mesh = await readGlb(readFileSync(path.join(dir, 'out', 'crate.glb')));
		const { min, max } = bounds(mesh.positions);
		expect(max[1] - min[1]).toBeCloseTo(1, 3);
		expect(max[0] - min[0]).toBeCloseTo(BOX[0] / BOX[1], 3);
		expect(max[2] - min[2]).toBeCloseTo(BOX[2] / BOX[1], 3);
		const send = stand.requests().find((r) => r.path === '/send');
		expect(send?.options).toMatchObject({ texture: true, num_inference_steps: 5, remove_background: false });
	});

	it('refuses what it cannot use, with a sentence and no stack', () => {
		const cases: [string[], RegExp][] = [
			[['backends', 'add', 'ftp', '--kind', 'hunyuan3d', '--url', 'ftp://host/x'], /reached over http or https, not ftp/],
			[['backends', 'add', 'secret', '--kind', 'hunyuan3d', '--url', 'http://me:pw@host:8081'], /Leave the user name and password out/],
			[['backends', 'add', 'other', '--kind', 'trellis', '--url', 'http://host:8081'], /not a server kind Orfeas speaks; use hunyuan3d/],
			[['backends', 'add', 'studio', '--kind', 'hunyuan3d', '--url', 'http://host:8081'], /A backend "studio" exists already/],
			[['backends', 'add', 'u2netp', '--kind', 'hunyuan3d', '--url', 'http://host:8081'], /already a model's name/],
			[['backends', 'rm', 'nothing'], /No backend "nothing"/],
		];
		for (const [args, message] of cases) {
			const run = orfeas([...args, '--home', home], dir);
			expect(run.code, args.join(' ')).not.toBe(0);
			expect(run.stderr).toMatch(message);
			expect(run.stderr).not.toMatch(/\n\s+at\s/);
		}
	});

	it('says a server that is down cannot be reached, and removes a backend', () => {
		orfeas(['backends', 'add', 'offline', '--kind', 'hunyuan3d', '--url', 'http://127.0.0.1:9', '--home', home], dir);
		const tested = orfeas(['backends', 'test', 'offline', '--home', home], dir);
		expect(tested.code).not.toBe(0);
		expect(tested.stderr).toMatch(/Cannot reach the Hunyuan3D server .* at http:\/\/127\.0\.0\.1:9 .*Check that the server is running.*\[E_BACKEND_UNREACHABLE\]/);
		expect(orfeas(['backends', 'list', '--home', home], dir).stdout).toMatch(/^offline .* unreachable at /m);
		expect(orfeas(['backends', 'rm', 'offline', '--home', home], dir).stdout).toBe('Removed offline.\n');
		expect(readFileSync(path.join(home, 'backends.json'), 'utf8')).not.toContain('offline');
		expect(existsSync(path.join(home, 'backends.json'))).toBe(true);
	});
});
