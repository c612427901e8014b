// The data directory (ARCHITECTURE.md § Data directory): where every path under ORFEAS_HOME comes from, and the
// containment check that keeps a path built from outside input inside the folder it belongs to (paths.ts holds the
// rules, Windows' included).
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { contains as containsPath, samePath, type PathModule } from '../paths';

export class Home {
	readonly jobs: string;
	readonly assets: string;
	readonly models: string;
	readonly scenes: string;
	readonly uploads: string;
	/** Staging area on the same file system, so finished outputs can be renamed into place atomically. */
	readonly tmp: string;
	readonly discovery: string;
	readonly stats: string;
	readonly log: string;

	constructor(readonly root: string) {
		this.jobs = path.join(root, 'jobs');
		this.assets = path.join(root, 'assets');
		this.models = path.join(root, 'models');
		this.scenes = path.join(root, 'scenes');
		this.uploads = path.join(root, 'uploads');
		this.tmp = path.join(root, 'tmp');
		this.discovery = path.join(root, 'daemon.json');
		this.stats = path.join(root, 'stats.json');
		this.log = path.join(root, 'daemon.log');
	}

	/** `--home`, else ORFEAS_HOME, else ~/.orfeas. */
	static resolve(explicit?: string): Home {
		return new Home(path.resolve(explicit ?? process.env.ORFEAS_HOME ?? path.join(os.homedir(), '.orfeas')));
	}

	async prepare(): Promise<void> {
		for (const dir of [this.root, this.jobs, this.assets, this.models, this.scenes, this.uploads, this.tmp]) {
			await mkdir(dir, { recursive: true, mode: 0o700 });
		}
	}

	jobDir(jobId: string): string {
		return inside(this.jobs, jobId);
	}

	jobFile(jobId: string): string {
		return path.join(this.jobDir(jobId), 'job.json');
	}

	assetDir(assetId: string): string {
		return inside(this.assets, assetId);
	}

	uploadFile(uploadId: string): string {
		return inside(this.uploads, uploadId);
	}
}

/** True when `target` is `dir` itself or lies beneath it (paths.ts: `..`, separators, and Windows case and drives). */
export function contains(dir: string, target: string, p: PathModule = path): boolean {
	return containsPath(dir, target, p);
}

/** `dir/name`, refusing any name that would step outside `dir`. */
export function inside(dir: string, name: string, p: PathModule = path): string {
	const target = p.join(dir, name);
	if (!contains(dir, target, p) || samePath(target, dir, p)) {
		throw new Error(`inside: "${name}" is not a plain name under ${dir}`);
	}
	return target;
}
