import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StageTimes } from '../../daemon/src/jobs/eta';

const dirs: string[] = [];
const tempFile = () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-eta-'));
	dirs.push(dir);
	return path.join(dir, 'stats.json');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('StageTimes', () => {
	it('estimates the time left from the averages of the remaining stages', async () => {
		const times = await StageTimes.load(tempFile());
		const all = { decode: 10, segment: 10, shape: 10, mesh: 10, texture: 100, optimize: 50, export: 20 };
		for (let i = 0; i < 60; i++) await times.record(all);
		// Converged to the measured times: half of texture plus optimize and export is left.
		expect(times.eta('texture', 0.5)).toBeGreaterThan(115);
		expect(times.eta('texture', 0.5)).toBeLessThan(125);
		expect(times.eta('export', 1)).toBe(0);
		expect(times.eta('decode', 0)).toBeGreaterThan(205);
	});

	it('keeps its averages across restarts in stats.json', async () => {
		const file = tempFile();
		const first = await StageTimes.load(file);
		for (let i = 0; i < 40; i++) await first.record({ decode: 500, segment: 1, shape: 1, mesh: 1, texture: 1, optimize: 1, export: 1 });
		const saved = JSON.parse(readFileSync(file, 'utf8'));
		expect(saved.runs).toBe(40);
		const second = await StageTimes.load(file);
		expect(second.weights().decode).toBeGreaterThan(450);
		expect(second.eta('segment', 0)).toBeLessThan(20);
	});

	it('starts from sensible guesses with no or a broken stats file', async () => {
		const times = await StageTimes.load(path.join(tempFile(), 'missing', 'stats.json'));
		expect(times.eta('decode', 0)).toBeGreaterThan(100);
		expect(Object.values(times.weights()).every((w) => w > 0)).toBe(true);
	});
});
