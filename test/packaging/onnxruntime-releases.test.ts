// A platform whose package carries another onnxruntime-node release than the repository's (macOS on Intel gets
// 1.23.2, the last with binaries for it: packaging/natives.mjs) must run the same daemon. That release's Linux
// build stands in for it here, laid out as the npm package lays it out: in dist/<platform>-<arch>/node_modules,
// which the bundles look in first, beside the repository's release in dist/node_modules. The daemon must load the
// platform's release, pass doctor, and generate with a triplane model through both decoder contracts.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../../daemon/src/jobs/home';
import { ellipsoidTriplane } from '../../models/testing/models';
import { ALL_FIXTURES } from '../fixtures/images';
import { ensureBuilt, ROOT } from '../helpers/cli';
import { installTestModel } from '../helpers/models';

const releases = JSON.parse(
	execFileSync(process.execPath, ['--input-type=module', '-e', `import { ONNXRUNTIME_FOR } from ${JSON.stringify(path.join(ROOT, 'packaging', 'natives.mjs'))}; console.log(JSON.stringify(ONNXRUNTIME_FOR));`], { encoding: 'utf8' }),
) as Record<string, string>;
const scratch = mkdtempSync(path.join(tmpdir(), 'orfeas-ort-release-'));

/** The release's package folder, fetched once by the packer's own code. */
function packageFolder(name: string, version: string): string {
	const script = `import { packageFolder } from ${JSON.stringify(path.join(ROOT, 'packaging', 'natives.mjs'))}; console.log(packageFolder(${JSON.stringify(name)}, ${JSON.stringify(version)}));`;
	return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 600_000 }).trim();
}

beforeAll(async () => {
	ensureBuilt();
	const home = new Home(path.join(scratch, 'home'));
	await home.prepare();
	installTestModel(home, ellipsoidTriplane({ decoder: 'features' }), 'egg-features');
	installTestModel(home, ellipsoidTriplane({ decoder: 'points' }), 'egg-points');
	writeFileSync(path.join(scratch, 'disc.png'), (await ALL_FIXTURES.disc()).bytes);
}, 600_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(Object.entries(releases))('the onnxruntime-node release for %s', (target, version) => {
	const dist = path.join(scratch, target, 'dist');

	beforeAll(() => {
		for (const file of ['orfeas.cjs', 'worker.cjs']) cpSync(path.join(ROOT, 'dist', file), path.join(dist, file));
		cpSync(path.join(ROOT, 'models'), path.join(dist, '..', 'models'), { recursive: true, filter: (f) => !f.includes('testing') });
		const ort = packageFolder('onnxruntime-node', version);
		const common = JSON.parse(readFileSync(path.join(ort, 'package.json'), 'utf8')).dependencies['onnxruntime-common'];
		const platformModules = path.join(dist, `${process.platform}-${process.arch}`, 'node_modules');
		cpSync(ort, path.join(platformModules, 'onnxruntime-node'), { recursive: true });
		cpSync(packageFolder('onnxruntime-common', common), path.join(platformModules, 'onnxruntime-common'), { recursive: true });
		// The other run-time packages, and the release every other platform gets, are the repository's own.
		mkdirSync(path.join(dist, 'node_modules'), { recursive: true });
		for (const name of ['sharp', '@img', 'detect-libc', 'semver', 'manifold-3d', 'onnxruntime-node', 'onnxruntime-common']) {
			symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dist, 'node_modules', name), 'junction');
		}
		mkdirSync(path.join(scratch, target, 'out'), { recursive: true });
	}, 600_000);

	/** The bundle with that release beside it. */
	const run = (args: string[]) =>
		execFileSync(process.execPath, [path.join(dist, 'orfeas.cjs'), ...args, '--home', path.join(scratch, 'home')], { cwd: scratch, encoding: 'utf8', timeout: 300_000 });

	it('is the one the daemon loads from its platform folder, and passes doctor', () => {
		expect(run(['doctor'])).toContain(`✓ Inference engine (onnxruntime-node): onnxruntime-node ${version}; learned models would run on cpu`);
	}, 300_000);

	it.each(['egg-features', 'egg-points'])('generates with a triplane model (%s)', (model) => {
		const output = path.join(scratch, target, 'out', `${model}.glb`);
		expect(run(['generate', 'disc.png', '--model', model, '--resolution', '96', '-o', output])).toMatch(/✓ disc\.png → .*: \d+ vertices, \d+ triangles/);
		expect(readFileSync(output).toString('latin1', 0, 4)).toBe('glTF');
	}, 300_000);
});
