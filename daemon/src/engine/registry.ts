// Every model Orfeas knows: the built-in ones, the catalogue of manifests shipped in models/, and what has been
// pulled into $ORFEAS_HOME/models/<id>/ (a copy of the manifest beside verified files). Asking for a model that
// is not installed answers E_MODEL_MISSING with the exact command that installs it.
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Home } from '../jobs/home';
import type { ModelView } from '../protocol/events';
import { OrfeasError } from '../protocol/errors';
import { readBackends, type Backend } from './backends';
import { loadManifestDir, parseManifest, type ModelKind, type ModelManifest } from './manifest';

/** What a model id can name: a learned model of a manifest kind, or a generation server (`remote`). */
export type RegistryKind = ModelKind | 'remote';

export const BUILTIN_MODELS: readonly ModelView[] = [
	{ id: 'builtin:inflate', kind: 'shape', builtin: true, installed: true, loaded: true, description: 'Silhouette inflation (no download, CPU).' },
	{ id: 'builtin:alpha', kind: 'segmentation', builtin: true, installed: true, loaded: true, description: "Subject from the picture's transparency." },
	{ id: 'builtin:chroma', kind: 'segmentation', builtin: true, installed: true, loaded: true, description: 'Subject by removing a plain background.' },
];

/** The manifest's copy inside an installed model's folder. */
export const INSTALLED_MANIFEST = 'manifest.json';

export interface InstalledModel {
	manifest: ModelManifest;
	dir: string;
	/** Absolute path of each graph by role (external `data` files are only checked to be there). */
	files: Partial<Record<'model' | 'encoder' | 'decoder', string>>;
}

export class ModelRegistry {
	private catalogue = new Map<string, ModelManifest>();
	private installed = new Map<string, InstalledModel>();
	private servers = new Map<string, Backend>();
	/** Problems met while reading manifests, for `orfeas doctor` and the log. */
	problems: string[] = [];

	constructor(
		private readonly home: Home,
		private readonly catalogueDir: string,
	) {}

	async refresh(): Promise<this> {
		this.problems = [];
		const report = (e: OrfeasError) => this.problems.push(e.message);
		this.catalogue = new Map((await loadManifestDir(this.catalogueDir, report)).map((m) => [m.id, m]));
		this.servers = new Map((await readBackends(this.home).catch((e: OrfeasError) => (report(e), []))).map((b) => [b.name, b]));
		this.installed = new Map();
		for (const id of await listDirs(this.home.models)) {
			const dir = path.join(this.home.models, id);
			try {
				const manifest = parseManifest(JSON.parse(await readFile(path.join(dir, INSTALLED_MANIFEST), 'utf8')), path.join(dir, INSTALLED_MANIFEST));
				const files: InstalledModel['files'] = {};
				for (const file of manifest.files) {
					const full = path.join(dir, file.name);
					await access(full);
					if (file.role !== 'data') files[file.role] = full;
				}
				this.installed.set(manifest.id, { manifest, dir, files });
			} catch (error) {
				// A folder without a complete install (for example an interrupted pull) is not a model.
				if (!(error instanceof OrfeasError) && (error as NodeJS.ErrnoException).code === 'ENOENT') continue;
				report(error instanceof OrfeasError ? error : new OrfeasError('E_MODEL_LOAD', `${dir}: ${String(error)}`));
			}
		}
		return this;
	}

	/** The manifest to install from: the catalogue's, else an installed copy's. */
	manifest(id: string): ModelManifest | undefined {
		return this.catalogue.get(id) ?? this.installed.get(id)?.manifest;
	}

	/** The generation server added under this name, if any. */
	backend(name: string): Backend | undefined {
		return this.servers.get(name);
	}

	isBuiltin(id: string): boolean {
		return BUILTIN_MODELS.some((m) => m.id === id);
	}

	/** Built-ins, then every catalogued or installed model, with whether it is installed and loaded. */
	list(loaded: ReadonlySet<string> = new Set()): ModelView[] {
		const learned = new Map<string, ModelManifest>([...this.catalogue, ...[...this.installed].map(([id, m]) => [id, m.manifest] as const)]);
		return [
			...BUILTIN_MODELS.map((m) => ({ ...m })),
			...[...learned.values()].map((m) => ({
				id: m.id,
				kind: m.kind,
				builtin: false,
				installed: this.installed.has(m.id),
				loaded: loaded.has(m.id),
				description: m.description || m.name,
				name: m.name,
				licence: m.licence.id,
				bytes: m.files.reduce((sum, f) => sum + (f.bytes ?? 0), 0) || undefined,
				...(m.needs ? { needs: m.needs } : {}),
			})),
			...[...this.servers.values()].map((b) => ({
				id: b.name,
				kind: 'remote' as const,
				builtin: false,
				installed: true,
				loaded: false,
				description: `${b.kind === 'hunyuan3d' ? 'Hunyuan3D' : b.kind} server at ${b.url}${b.texture ? ', textured' : ', shape only'}`,
				name: b.name,
				url: b.url,
				...(b.lastCheck ? { reachable: b.lastCheck.ok, checkedAt: b.lastCheck.at } : {}),
			})),
		];
	}

	/** The kind of an installed learned model, or `remote` for a generation server; undefined for built-ins and anything not installed. */
	installedKind(id: string): RegistryKind | undefined {
		return this.installed.get(id)?.manifest.kind ?? (this.servers.has(id) ? 'remote' : undefined);
	}

	/** An installed learned model of the given kind, or E_MODEL_MISSING saying how to get it. */
	require(id: string, kind?: ModelKind): InstalledModel {
		const model = this.installed.get(id);
		if (!model) {
			const known = this.catalogue.has(id);
			throw new OrfeasError(
				'E_MODEL_MISSING',
				known
					? `Model "${id}" is not installed. Install it with: orfeas models pull ${id}`
					: `No model "${id}". See the available ones with: orfeas models list`,
				{ model: id },
			);
		}
		if (kind && model.manifest.kind !== kind) {
			throw new OrfeasError('E_MODEL_LOAD', `Model "${id}" is a ${model.manifest.kind} model, not a ${kind} model.`, { model: id });
		}
		return model;
	}
}

async function listDirs(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
	return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
}
