// `orfeas backends add | list | test | rm`: the generation servers this machine may send pictures to (Hunyuan3D's
// API server today), kept in ORFEAS_HOME/backends.json. A backend's name is then a model: `orfeas generate
// cat.png --model NAME`, and every editor lists it. Works on the home folder directly, daemon or not.
import { addBackend, BACKEND_KINDS, readBackends, recordCheck, removeBackend, type BackendKind } from '../engine/backends';
import { ModelRegistry } from '../engine/registry';
import { SERVERS } from '../generators/remote/server';
import { Home } from '../jobs/home';
import { OrfeasError, toOrfeasError } from '../protocol/errors';
import { CATALOGUE_DIR } from './daemon';

export interface BackendAddFlags {
	home?: string;
	kind: string;
	url: string;
	texture?: boolean;
	steps?: number;
	octree?: number;
	seed?: number;
	timeout?: number;
	maxReplyMb?: number;
	replace?: boolean;
}

export async function backendsAdd(name: string, flags: BackendAddFlags): Promise<number> {
	const home = Home.resolve(flags.home);
	if (!(BACKEND_KINDS as readonly string[]).includes(flags.kind)) {
		throw new OrfeasError('E_BAD_MESSAGE', `--kind ${flags.kind} is not a server kind Orfeas speaks; use ${BACKEND_KINDS.join(', ')}.`);
	}
	const registry = await new ModelRegistry(home, CATALOGUE_DIR).refresh();
	const backend = await addBackend(
		home,
		{
			name,
			kind: flags.kind as BackendKind,
			url: flags.url,
			texture: flags.texture ?? false,
			...(flags.steps !== undefined ? { steps: flags.steps } : {}),
			...(flags.octree !== undefined ? { octree: flags.octree } : {}),
			...(flags.seed !== undefined ? { seed: flags.seed } : {}),
			...(flags.timeout !== undefined ? { timeoutS: flags.timeout } : {}),
			...(flags.maxReplyMb !== undefined ? { maxReplyMB: flags.maxReplyMb } : {}),
		},
		{ replace: flags.replace ?? false, taken: (id) => registry.isBuiltin(id) || (registry.manifest(id) !== undefined && registry.backend(id) === undefined) },
	);
	process.stdout.write(`Added ${backend.name}: ${SERVERS[backend.kind].title} at ${backend.url}${backend.texture ? ', textured' : ', shape only'}. Use it with --model ${backend.name}; check it with: orfeas backends test ${backend.name}\n`);
	return 0;
}

export async function backendsList(flags: { home?: string; json?: boolean }): Promise<number> {
	const backends = await readBackends(Home.resolve(flags.home));
	if (flags.json) {
		process.stdout.write(`${JSON.stringify(backends)}\n`);
		return 0;
	}
	if (backends.length === 0) process.stdout.write('No generation servers. Add one with: orfeas backends add NAME --kind hunyuan3d --url http://HOST:PORT\n');
	for (const b of backends) {
		const check = b.lastCheck ? `${b.lastCheck.ok ? 'reachable' : 'unreachable'} at ${b.lastCheck.at}` : 'never checked';
		const options = [b.texture ? 'textured' : 'shape only', b.steps && `steps ${b.steps}`, b.octree && `octree ${b.octree}`, b.seed !== undefined && `seed ${b.seed}`].filter(Boolean).join(', ');
		process.stdout.write(`${b.name.padEnd(20)} ${b.kind.padEnd(10)} ${b.url.padEnd(32)} ${options.padEnd(28)} ${check}\n`);
	}
	return 0;
}

/** Asks the server whether it answers, says so, and keeps the outcome (listed as reachable or not). */
export async function backendsTest(name: string, flags: { home?: string }): Promise<number> {
	const home = Home.resolve(flags.home);
	const backend = (await readBackends(home)).find((b) => b.name === name);
	if (!backend) throw new OrfeasError('E_NOT_FOUND', `No backend "${name}". See them with: orfeas backends list`);
	try {
		const line = await SERVERS[backend.kind].health(backend);
		await recordCheck(home, name, true, line);
		process.stdout.write(`✓ ${name} answers at ${backend.url}: ${line}\n`);
		return 0;
	} catch (error) {
		const e = toOrfeasError(error);
		await recordCheck(home, name, false, e.message);
		throw e;
	}
}

export async function backendsRemove(name: string, flags: { home?: string }): Promise<number> {
	await removeBackend(Home.resolve(flags.home), name);
	process.stdout.write(`Removed ${name}.\n`);
	return 0;
}
