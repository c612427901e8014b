// Checks what a reader of <home>/assets can see at one instant: every entry must be a whole asset (asset.json
// parses and every file it lists is there with its size and sha256), and no temporary file may show.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_PREFIX } from '../../daemon/src/jobs/atomic';

interface ListedFile {
	name: string;
	bytes: number;
	sha256: string;
}

/**
 * Audits assets/ and returns what is wrong (empty when all is well). `verified` remembers files already hashed,
 * keyed by inode, size and mtime, so polling every few milliseconds does not re-hash unchanged files.
 */
export async function auditAssets(assetsDir: string, verified = new Set<string>()): Promise<string[]> {
	const problems: string[] = [];
	for (const leftover of await tempNames(assetsDir)) problems.push(`temporary file visible: ${leftover}`);
	for (const entry of await readdir(assetsDir).catch(() => [] as string[])) {
		const dir = path.join(assetsDir, entry);
		try {
			if (!(await lstat(dir)).isDirectory()) {
				problems.push(`${entry}: not a directory`);
				continue;
			}
			const record = JSON.parse(await readFile(path.join(dir, 'asset.json'), 'utf8')) as { assetId: string; files: ListedFile[] };
			if (record.assetId !== entry) problems.push(`${entry}: asset.json names ${record.assetId}`);
			if (!Array.isArray(record.files) || record.files.length === 0) problems.push(`${entry}: asset.json lists no files`);
			for (const file of record.files ?? []) {
				const full = path.join(dir, file.name);
				const info = await lstat(full);
				const key = `${full}:${info.ino}:${info.size}:${info.mtimeMs}`;
				if (verified.has(key)) continue;
				if (info.size !== file.bytes) {
					problems.push(`${entry}/${file.name}: ${info.size} bytes on disk, ${file.bytes} listed`);
					continue;
				}
				const digest = createHash('sha256').update(await readFile(full)).digest('hex');
				if (digest !== file.sha256) problems.push(`${entry}/${file.name}: sha256 differs from asset.json`);
				else verified.add(key);
			}
		} catch (error) {
			problems.push(`${entry}: ${(error as Error).message}`);
		}
	}
	return problems;
}

export interface AssetWatch {
	/** Stops polling, audits once more and returns every problem seen and how many audits ran. */
	stop(): Promise<{ problems: string[]; audits: number }>;
}

/** Audits `assetsDir` every `intervalMs` until stopped, collecting every problem any audit saw. */
export function watchAssets(assetsDir: string, intervalMs = 20): AssetWatch {
	const problems: string[] = [];
	const verified = new Set<string>();
	let audits = 0;
	let watching = true;
	const loop = (async () => {
		while (watching) {
			problems.push(...(await auditAssets(assetsDir, verified)));
			audits++;
			await new Promise((resolve) => setTimeout(resolve, intervalMs));
		}
	})();
	return {
		async stop() {
			watching = false;
			await loop;
			problems.push(...(await auditAssets(assetsDir, verified)));
			return { problems, audits: audits + 1 };
		},
	};
}

/** Paths under `dir`, at any depth, whose name marks a temporary (half-written) file. */
async function tempNames(dir: string): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
		const full = path.join(dir, entry.name);
		if (entry.name.startsWith(TEMP_PREFIX)) found.push(full);
		if (entry.isDirectory()) found.push(...(await tempNames(full)));
	}
	return found;
}
