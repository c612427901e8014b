// Where a pull stages its files and how a verified staging folder becomes $ORFEAS_HOME/models/<id>/ (and how an
// install is removed). `download.ts` fills the staging folder; the registry reads what lands in models/.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { syncDir, writeFileAtomic } from '../jobs/atomic';
import { inside, type Home } from '../jobs/home';
import { OrfeasError } from '../protocol/errors';
import { ManifestSchema, type ModelManifest } from './manifest';
import { INSTALLED_MANIFEST } from './registry';

/** Suffix of a file still being downloaded in the staging folder. */
export const PART_SUFFIX = '.part';
/**
 * Prefix of an old install moved aside while a new one is renamed in. It starts with a dot, so the registry never
 * takes it for a model; a crash can leave one behind, and the next pull or remove of that id deletes it.
 */
const REPLACED_PREFIX = '.replaced-';

/** Staging folders a pull in this process is writing to; a second pull or a remove of the same id waits its turn. */
const busy = new Set<string>();

/** `<home>/tmp/pull-<id>/`: kept across runs so an interrupted pull resumes. */
export function stagingDir(home: Home, id: string): string {
	return inside(home.tmp, `pull-${id}`);
}

/** `<home>/models/<id>/`. */
export function installDir(home: Home, id: string): string {
	return inside(home.models, id);
}

/** Marks a staging folder as in use until the returned function is called; E_CONFLICT when it already is. */
export function claimStaging(staging: string, id: string): () => void {
	if (busy.has(staging)) throw new OrfeasError('E_CONFLICT', `Model "${id}" is already being pulled; wait for that pull to finish.`, { model: id });
	busy.add(staging);
	return () => busy.delete(staging);
}

/**
 * Turns a staging folder whose `<name>.part` files are all verified into the installed model: the parts take their
 * final names, the manifest copy is written beside them, anything else is dropped, and the folder is renamed to
 * `<home>/models/<id>/`. An old install is moved aside first and deleted last, so a crash at any point leaves the
 * old complete install or none, never a mixture.
 */
export async function installStaged(manifest: ModelManifest, staging: string, home: Home): Promise<string> {
	const keep = new Set([...manifest.files.map((f) => f.name), INSTALLED_MANIFEST]);
	for (const file of manifest.files) await rename(path.join(staging, file.name + PART_SUFFIX), path.join(staging, file.name));
	// Left over from an earlier version of the manifest, or from a crash inside writeFileAtomic.
	for (const entry of await readdir(staging)) {
		if (!keep.has(entry)) await rm(path.join(staging, entry), { recursive: true, force: true });
	}
	await writeFileAtomic(path.join(staging, INSTALLED_MANIFEST), `${JSON.stringify(manifest, null, '\t')}\n`);
	await syncDir(staging);

	await mkdir(home.models, { recursive: true, mode: 0o700 });
	await removeReplaced(home, manifest.id);
	const target = installDir(home, manifest.id);
	const aside = inside(home.models, `${REPLACED_PREFIX}${manifest.id}-${randomBytes(6).toString('hex')}`);
	const replacing = await moveIfPresent(target, aside);
	try {
		await rename(staging, target);
	} catch (error) {
		if (replacing) await rename(aside, target).catch(() => {});
		throw error;
	}
	await syncDir(home.models);
	if (replacing) await rm(aside, { recursive: true, force: true });
	return target;
}

/**
 * Reclaims a file that an interrupted install had already renamed from `<name>.part` to `<name>`, so the next pull
 * verifies it again instead of downloading it again.
 */
export async function reclaimPart(staging: string, name: string): Promise<void> {
	const part = path.join(staging, name + PART_SUFFIX);
	if (await exists(part)) return;
	await rename(path.join(staging, name), part).catch((error: NodeJS.ErrnoException) => {
		if (error.code !== 'ENOENT') throw error;
	});
}

/**
 * Deletes an installed model and any unfinished pull of it. E_NOT_FOUND when there is neither. Say what was
 * removed, so a command line can tell "uninstalled" from "dropped a partial download".
 */
export async function removeModel(home: Home, id: string): Promise<{ installed: boolean; staged: boolean }> {
	if (!ManifestSchema.shape.id.safeParse(id).success) {
		throw new OrfeasError('E_NOT_FOUND', `No model "${id}" is installed. See the installed ones with: orfeas models list`, { model: id });
	}
	const target = installDir(home, id);
	const staging = stagingDir(home, id);
	const release = claimStaging(staging, id);
	try {
		return await removeClaimed(home, id, target, staging);
	} finally {
		release();
	}
}

async function removeClaimed(home: Home, id: string, target: string, staging: string): Promise<{ installed: boolean; staged: boolean }> {
	// Renamed away first, so a crash during the delete never leaves a half-deleted folder under models/.
	const doomed = inside(home.models, `${REPLACED_PREFIX}${id}-${randomBytes(6).toString('hex')}`);
	const installed = await moveIfPresent(target, doomed);
	const staged = await exists(staging);
	if (!installed && !staged) {
		throw new OrfeasError('E_NOT_FOUND', `No model "${id}" is installed. See the installed ones with: orfeas models list`, { model: id });
	}
	if (installed) {
		await syncDir(home.models);
		await rm(doomed, { recursive: true, force: true });
	}
	await rm(staging, { recursive: true, force: true });
	await removeReplaced(home, id);
	return { installed, staged };
}

/** Old installs of `id` left aside by a crash between the two renames of an earlier install. */
async function removeReplaced(home: Home, id: string): Promise<void> {
	const prefix = `${REPLACED_PREFIX}${id}-`;
	const entries = await readdir(home.models).catch(() => [] as string[]);
	for (const entry of entries) {
		// The suffix is 12 hex digits, so `.replaced-a-…` never matches an id such as `a-b`.
		if (entry.startsWith(prefix) && /^[0-9a-f]{12}$/.test(entry.slice(prefix.length))) {
			await rm(path.join(home.models, entry), { recursive: true, force: true });
		}
	}
}

async function moveIfPresent(from: string, to: string): Promise<boolean> {
	try {
		await rename(from, to);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
		throw error;
	}
}

async function exists(file: string): Promise<boolean> {
	return stat(file).then(
		() => true,
		() => false,
	);
}
