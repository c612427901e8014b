// `orfeas models list | info | pull | rm`: the catalogue and what is installed, model details, downloads with a
// progress line and the licence gate, and removal. Works on the home folder directly, daemon or not: the
// daemon notices new models on its next request.
import { pullModel, removeModel } from '../engine/download';
import { ModelRegistry } from '../engine/registry';
import { Home } from '../jobs/home';
import { OrfeasError } from '../protocol/errors';
import { CATALOGUE_DIR } from './daemon';

export interface ModelsFlags {
	home?: string;
	json?: boolean;
	acceptLicence?: boolean;
}

async function registry(flags: ModelsFlags): Promise<{ home: Home; registry: ModelRegistry }> {
	const home = Home.resolve(flags.home);
	await home.prepare();
	return { home, registry: await new ModelRegistry(home, CATALOGUE_DIR).refresh() };
}

export async function modelsList(flags: ModelsFlags): Promise<number> {
	const { registry: r } = await registry(flags);
	const models = r.list();
	if (flags.json) {
		process.stdout.write(`${JSON.stringify(models)}\n`);
		return 0;
	}
	for (const m of models) {
		const state = m.builtin ? 'built in' : m.installed ? 'installed' : 'not installed';
		const size = m.bytes ? `${(m.bytes / 2 ** 20).toFixed(1)} MiB` : '';
		process.stdout.write(`${m.id.padEnd(28)} ${m.kind.padEnd(13)} ${state.padEnd(14)} ${size.padStart(10)}  ${(m.licence ?? '').padEnd(10)} ${m.needs ?? ''}`.trimEnd() + '\n');
	}
	for (const problem of r.problems) process.stderr.write(`warning: ${problem}\n`);
	return 0;
}

export async function modelsInfo(id: string, flags: ModelsFlags): Promise<number> {
	const { registry: r } = await registry(flags);
	const manifest = r.manifest(id);
	if (!manifest) throw new OrfeasError('E_NOT_FOUND', `No model "${id}". See the available ones with: orfeas models list`);
	const installed = r.installedKind(id) !== undefined;
	if (flags.json) {
		process.stdout.write(`${JSON.stringify({ ...manifest, installed })}\n`);
		return 0;
	}
	const lines = [
		`${manifest.name} (${manifest.id}), ${manifest.kind} model, ${installed ? 'installed' : 'not installed'}`,
		manifest.description,
		...(manifest.needs ? [`needs: ${manifest.needs}`] : []),
		`licence: ${manifest.licence.id}${manifest.licence.permissive ? '' : ' (restricts use: pull needs --accept-licence)'}${manifest.licence.url ? ` — ${manifest.licence.url}` : ''}`,
		...(manifest.source ? [`source: ${manifest.source.url}`] : []),
		`input: ${manifest.input.size.join('×')} ${manifest.input.layout} ${manifest.input.colorOrder}, resize ${manifest.input.resize}`,
		...manifest.files.map((f) => `file ${f.role}: ${f.name} ${f.bytes ? `${(f.bytes / 2 ** 20).toFixed(1)} MiB` : ''} ${f.sha256 ? `sha256 ${f.sha256.slice(0, 12)}…` : '(no published checksum)'}`),
	];
	process.stdout.write(`${lines.filter(Boolean).join('\n')}\n`);
	return 0;
}

export async function modelsPull(id: string, flags: ModelsFlags): Promise<number> {
	const { home, registry: r } = await registry(flags);
	if (r.isBuiltin(id)) {
		process.stdout.write(`${id} is built in: nothing to download.\n`);
		return 0;
	}
	const manifest = r.manifest(id);
	if (!manifest) throw new OrfeasError('E_NOT_FOUND', `No model "${id}". See the available ones with: orfeas models list`);
	const tty = process.stderr.isTTY;
	const controller = new AbortController();
	const stop = () => controller.abort();
	process.once('SIGINT', stop);
	try {
		const result = await pullModel(manifest, home, {
			signal: controller.signal,
			acceptLicence: flags.acceptLicence ?? false,
			onProgress: (p) => {
				if (!tty) return;
				const total = p.total ? ` of ${(p.total / 2 ** 20).toFixed(1)}` : '';
				process.stderr.write(`\r\x1b[2K  ${p.file}: ${(p.received / 2 ** 20).toFixed(1)}${total} MiB, ${Math.round(p.fraction * 100)}% overall`);
			},
		});
		if (tty) process.stderr.write('\n');
		process.stdout.write(`✓ ${id} installed in ${result.dir}\n`);
		return 0;
	} finally {
		process.off('SIGINT', stop);
	}
}

export async function modelsRemove(id: string, flags: ModelsFlags): Promise<number> {
	const home = Home.resolve(flags.home);
	await removeModel(home, id);
	process.stdout.write(`✓ ${id} removed\n`);
	return 0;
}
