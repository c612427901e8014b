// Content-addressed outputs: an asset's id is the sha256 of everything that decides its bytes (the picture,
// the canonical options, the name, the model and the pipeline version), so the same request is a cache hit.
// Files are staged in tmp/ and the finished folder renamed into assets/ in one step.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AssetFileView, StatsView } from '../protocol/events';
import type { FileFormat, GenerateOptions } from '../protocol/options';
import { PIPELINE_VERSION } from '../version';
import { syncDir, writeFileAtomic } from './atomic';
import type { Home } from './home';

export interface AssetRecord {
	assetId: string;
	createdAt: string;
	name: string;
	files: AssetFileView[];
	stats: StatsView;
	source: { jobId: string; imageSha256: string; model: string; pipelineVersion: number };
	/** For an export: the generated asset it was made from. */
	derivedFrom?: string;
}

export interface OutputFile {
	name: string;
	format: FileFormat;
	bytes: Uint8Array;
}

export const MIME: Readonly<Record<FileFormat, string>> = {
	glb: 'model/gltf-binary',
	fbx: 'application/octet-stream',
	obj: 'model/obj',
	stl: 'model/stl',
	ply: 'application/octet-stream',
	mtl: 'model/mtl',
	png: 'image/png',
	jpeg: 'image/jpeg',
};

export function sha256(bytes: Uint8Array | string): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** JSON with object keys sorted at every level, so equal options always hash the same. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * The content address of a generation: every picture (the front, each other view, and how a sheet is read), the
 * options, the name and the pipeline version. A single picture keeps the address it always had.
 */
export function assetIdFor(
	imageSha256: string,
	options: GenerateOptions,
	name: string,
	pictures: { views?: { view: string; sha256: string }[]; sheet?: string[]; server?: Record<string, unknown> } = {},
): string {
	const more = {
		...(pictures.views?.length ? { views: [...pictures.views].sort((a, b) => a.view.localeCompare(b.view)) } : {}),
		...(pictures.sheet ? { sheet: pictures.sheet } : {}),
		...(pictures.server ? { server: pictures.server } : {}),
	};
	return sha256(canonicalJson({ image: imageSha256, ...more, options, name, model: options.model, pipeline: PIPELINE_VERSION }));
}

export function fileUrl(assetId: string, name: string): string {
	return `/v1/assets/${assetId}/${encodeURIComponent(name)}`;
}

/** The asset if it is complete on disk (its record and every file it lists), else null. */
export async function readAsset(home: Home, assetId: string): Promise<AssetRecord | null> {
	try {
		const dir = home.assetDir(assetId);
		const record = JSON.parse(await readFile(path.join(dir, 'asset.json'), 'utf8')) as AssetRecord;
		if (record.assetId !== assetId) return null;
		for (const file of record.files) {
			const info = await stat(path.join(dir, file.name));
			if (info.size !== file.bytes) return null;
		}
		return record;
	} catch {
		return null;
	}
}

/**
 * Writes the files and asset.json into a fresh folder under tmp/, then renames it to assets/<assetId>. If an
 * identical asset got there first, that one is kept (same id, same content).
 */
export async function publishAsset(
	home: Home,
	assetId: string,
	outputs: OutputFile[],
	meta: Omit<AssetRecord, 'assetId' | 'files' | 'createdAt'>,
): Promise<AssetRecord> {
	const staging = path.join(home.tmp, `asset-${assetId.slice(0, 16)}-${randomBytes(6).toString('hex')}`);
	await mkdir(staging, { mode: 0o700 });
	try {
		const files: AssetFileView[] = [];
		for (const output of outputs) {
			await writeFileAtomic(path.join(staging, output.name), output.bytes);
			files.push({
				name: output.name,
				format: output.format,
				bytes: output.bytes.length,
				sha256: sha256(output.bytes),
				url: fileUrl(assetId, output.name),
			});
		}
		const record: AssetRecord = { assetId, createdAt: new Date().toISOString(), files, ...meta };
		await writeFileAtomic(path.join(staging, 'asset.json'), `${JSON.stringify(record, null, 1)}\n`);
		try {
			await rename(staging, home.assetDir(assetId));
		} catch (error) {
			const existing = await readAsset(home, assetId);
			if (!existing) throw error;
			await rm(staging, { recursive: true, force: true });
			return existing;
		}
		await syncDir(home.assets);
		return record;
	} catch (error) {
		await rm(staging, { recursive: true, force: true });
		throw error;
	}
}
