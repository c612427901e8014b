// Waiting without fixed sleeps: poll a condition until it holds or a deadline passes, so tests stay fast on an
// idle machine and still pass on a busy one.
import { readFileSync } from 'node:fs';

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Calls `probe` every `intervalMs` until it returns something other than undefined, null or false, and
 * resolves with that; rejects naming `what` (and the last value seen) after `timeoutMs`.
 */
export async function until<T>(
	what: string,
	probe: () => T | Promise<T>,
	{ timeoutMs = 10_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<Exclude<T, undefined | null | false>> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(intervalMs);
	}
}

/**
 * A JSON file's content, or undefined while it does not parse: an editor saving it may truncate the file before
 * writing it again, so a reader polling it can see it empty or half-written.
 */
export function readJsonIfWhole(file: string): unknown {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}
