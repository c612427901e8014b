// External programs the e2e tests drive (assimp, Blender, gltfpack): found on PATH or the test fails with how
// to install it. Nothing is skipped: a machine without the program gets a red test that says what to do.
import { execFileSync } from 'node:child_process';

/** Debian package and a sentence on how to get each program. */
const INSTALL: Record<string, string> = {
	assimp: 'Install Debian\'s assimp-utils (apt-get install assimp-utils); .ci/run does this.',
	'xvfb-run': 'Install Debian\'s xvfb and xauth (apt-get install xvfb xauth); .ci/run does this.',
	mcs: 'Install Mono\'s C# compiler (apt-get install mono-mcs mono-runtime); .ci/run does this.',
	mono: 'Install Mono (apt-get install mono-runtime); .ci/run does this.',
	python3: 'Install Python 3 (apt-get install python3); .ci/run does this.',
	blender: 'Install Debian\'s Blender 3.4 with NumPy (apt-get install blender python3-numpy); .ci/run does this.',
	'redis-server': 'Install Debian\'s Redis (apt-get install redis-server); .ci/run does this.',
	torch: 'Install Debian\'s PyTorch (apt-get install python3-torch), which goes with Debian\'s /usr/bin/python3; .ci/run does this.',
};

const found = new Map<string, string>();

/** Absolute path of `program`, or an error naming the package that provides it. */
export function requireProgram(program: string): string {
	const cached = found.get(program);
	if (cached) return cached;
	let path = '';
	try {
		path = execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim();
	} catch {
		// not on PATH; reported below
	}
	if (!path) throw new Error(`${program} is not on PATH. ${INSTALL[program] ?? `Install ${program}.`}`);
	found.set(program, path);
	return path;
}

/** A Python that imports PyTorch: Debian's /usr/bin/python3 first (python3-torch), then python3 on PATH. */
export function requireTorchPython(): string {
	const cached = found.get('torch');
	if (cached) return cached;
	for (const python of ['/usr/bin/python3', 'python3']) {
		try {
			execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
			found.set('torch', python);
			return python;
		} catch {
			// no such Python, or no torch in it; the next one is tried
		}
	}
	throw new Error(`No Python with PyTorch found (tried /usr/bin/python3 and python3). ${INSTALL.torch}`);
}
