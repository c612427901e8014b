// The job record: the state machine of one job, kept in jobs/<jobId>/job.json and rewritten atomically on every
// transition, before any client is told about it.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AssetFileView, JobView, StatsView } from '../protocol/events';
import type { ErrorCode } from '../protocol/errors';
import type { JobState, Priority } from '../protocol/messages';
import type { GenerateOptions } from '../protocol/options';
import type { ExtraView, ViewName } from '../protocol/views';
import { writeFileAtomic } from './atomic';
import type { ExportRequestOptions } from './worker-protocol';
import type { Home } from './home';

export const RECORD_VERSION = 1;

export interface JobRecord {
	version: typeof RECORD_VERSION;
	jobId: string;
	kind: 'generate' | 'export' | 'pull';
	state: JobState;
	priority: Priority;
	name: string;
	createdAt: string;
	updatedAt: string;
	/** How many times the job has started running; a crash during the third start fails it (E_INTERRUPTED). */
	attempt: number;
	options: GenerateOptions;
	/** The picture, stored beside the record. */
	input?: { file: string; bytes: number; sha256: string };
	/** Pictures of the same object from other sides, stored beside the record. */
	views?: { view: ExtraView; file: string; bytes: number; sha256: string }[];
	/** The picture is a turnaround sheet holding these views, left to right. */
	sheet?: ViewName[];
	/** The content address the result is (or will be) stored under (generate and export). */
	assetId?: string;
	/** What an export job exports: the generated asset's GLB and the request. */
	export?: { sourceAssetId: string; file: string; request: ExportRequestOptions };
	/** The model a pull installs. */
	modelId?: string;
	/** A generation server's job for this one: the backend, its id there and when it was sent (polled again after a restart). */
	remote?: { backend: string; job: string; submittedAt: string };
	files?: AssetFileView[];
	stats?: StatsView;
	error?: { code: ErrorCode; message: string; stage?: string };
}

export const FINISHED: ReadonlySet<JobState> = new Set(['done', 'failed', 'cancelled']);

/** `j_` and 20 characters of base-36 randomness. */
export function newJobId(): string {
	return `j_${randomId(20)}`;
}

export function randomId(length: number): string {
	const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
	const bytes = randomBytes(length);
	let id = '';
	for (const b of bytes) id += alphabet[b % 36];
	return id;
}

/** A fresh record in the queued state. */
export function newRecord(fields: Pick<JobRecord, 'kind' | 'priority' | 'name' | 'options'> & Partial<Pick<JobRecord, 'assetId' | 'input' | 'views' | 'sheet' | 'modelId' | 'export'>>): JobRecord {
	const now = new Date().toISOString();
	return { version: RECORD_VERSION, jobId: newJobId(), state: 'queued', createdAt: now, updatedAt: now, attempt: 0, ...fields };
}

export async function writeRecord(home: Home, record: JobRecord): Promise<void> {
	await writeFileAtomic(home.jobFile(record.jobId), `${JSON.stringify(record, null, 1)}\n`);
}

export async function readRecord(home: Home, jobId: string): Promise<JobRecord | null> {
	try {
		const record = JSON.parse(await readFile(home.jobFile(jobId), 'utf8')) as JobRecord;
		return record.version === RECORD_VERSION && record.jobId === jobId ? record : null;
	} catch {
		return null;
	}
}

/** The record as clients see it. */
export function toView(record: JobRecord, position?: number): JobView {
	const { jobId, kind, state, priority, name, createdAt, updatedAt, attempt, options, files, stats, error } = record;
	return {
		jobId,
		kind,
		state,
		priority,
		name,
		createdAt,
		updatedAt,
		attempt,
		options,
		...(position !== undefined ? { position } : {}),
		...(state === 'done' && record.assetId ? { assetId: record.assetId } : {}),
		...(record.modelId ? { modelId: record.modelId } : {}),
		...(files ? { files } : {}),
		...(stats ? { stats } : {}),
		...(error ? { error } : {}),
	};
}
