// ONNX Runtime sessions, created in the worker threads (session.run blocks the thread that calls it) and kept
// in a least-recently-used cache under a memory budget, estimated from the model files' sizes.
import { stat } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import { OrfeasError } from '../protocol/errors';
import type { Ort } from './onnxruntime';

export interface SessionOptions {
	/** Execution providers in order, e.g. ['cuda', 'cpu']. */
	providers: string[];
	/** Threads for one operator; the pool already runs one job per worker, so this divides the cores. */
	intraOpThreads: number;
	/** Cache budget in bytes; the least recently used session is released when it is exceeded. */
	budgetBytes: number;
}

interface Entry {
	session: InferenceSession;
	bytes: number;
	used: number;
}

export class SessionCache {
	private readonly entries = new Map<string, Entry>();
	private readonly creating = new Map<string, Promise<InferenceSession>>();
	private clock = 0;

	constructor(
		private readonly ort: Ort,
		private readonly options: SessionOptions,
	) {}

	/** The session for a model file, created on first use. */
	async get(file: string): Promise<InferenceSession> {
		const entry = this.entries.get(file);
		if (entry) {
			entry.used = ++this.clock;
			return entry.session;
		}
		let pending = this.creating.get(file);
		if (!pending) {
			pending = this.create(file);
			this.creating.set(file, pending);
			pending.finally(() => this.creating.delete(file)).catch(() => {});
		}
		return pending;
	}

	has(file: string): boolean {
		return this.entries.has(file);
	}

	async release(file: string): Promise<void> {
		const entry = this.entries.get(file);
		if (!entry) return;
		this.entries.delete(file);
		await entry.session.release();
	}

	async clear(): Promise<void> {
		for (const file of [...this.entries.keys()]) await this.release(file);
	}

	private async create(file: string): Promise<InferenceSession> {
		const bytes = (await stat(file)).size;
		let session: InferenceSession;
		try {
			session = await this.ort.InferenceSession.create(file, {
				executionProviders: this.options.providers,
				intraOpNumThreads: this.options.intraOpThreads,
				interOpNumThreads: 1,
				graphOptimizationLevel: 'all',
			});
		} catch (error) {
			const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
			throw new OrfeasError('E_MODEL_LOAD', `The model file ${file} cannot be loaded (${detail}). Pull it again: orfeas models rm, then orfeas models pull.`);
		}
		this.entries.set(file, { session, bytes, used: ++this.clock });
		await this.evict(file);
		return session;
	}

	/** Releases least recently used sessions until the cache fits its budget (never the one just made). */
	private async evict(keep: string): Promise<void> {
		let total = [...this.entries.values()].reduce((sum, e) => sum + e.bytes, 0);
		const byAge = [...this.entries.entries()].filter(([f]) => f !== keep).sort((a, b) => a[1].used - b[1].used);
		for (const [file, entry] of byAge) {
			if (total <= this.options.budgetBytes) break;
			total -= entry.bytes;
			await this.release(file);
		}
	}
}
