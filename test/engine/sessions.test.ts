import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionCache } from '../../daemon/src/engine/sessions';
import { radialBumpDepth, thresholdSegmentation } from '../../models/testing/models';

const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
	const full = path.join(dir, name);
	writeFileSync(full, bytes);
	return full;
}

describe('SessionCache', () => {
	it('keeps sessions under its budget, releasing the least recently used first', async () => {
		const a = file('a.onnx', thresholdSegmentation().bytes.model);
		const b = file('b.onnx', radialBumpDepth().bytes.model);
		const c = file('c.onnx', radialBumpDepth({ size: 32 }).bytes.model);
		// Room for a and c together, not for all three.
		const sizes = [thresholdSegmentation(), radialBumpDepth(), radialBumpDepth({ size: 32 })].map((m) => m.bytes.model.length);
		const budget = Math.ceil((sizes[0] + sizes[2]) * 1.2);
		expect(budget).toBeLessThan(sizes[0] + sizes[1] + sizes[2]);
		const cache = new SessionCache(ort, { providers: ['cpu'], intraOpThreads: 1, budgetBytes: budget });
		const first = await cache.get(a);
		expect(await cache.get(a)).toBe(first);
		await cache.get(b);
		await cache.get(a);
		await cache.get(c);
		// b was used least recently when c arrived.
		expect([cache.has(a), cache.has(b), cache.has(c)]).toEqual([true, false, true]);
		await cache.clear();
		expect(cache.has(a)).toBe(false);
	});

	it('answers a file that is not a model with E_MODEL_LOAD and what to do', async () => {
		const cache = new SessionCache(ort, { providers: ['cpu'], intraOpThreads: 1, budgetBytes: 1e9 });
		await expect(cache.get(file('broken.onnx', new TextEncoder().encode('not a model')))).rejects.toMatchObject({
			code: 'E_MODEL_LOAD',
			message: expect.stringMatching(/orfeas models pull/),
		});
	});
});
