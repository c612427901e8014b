// waitUntilGone, the wait behind `orfeas stop` and the extension's Restart Daemon: a daemon that has taken the stop
// request removes daemon.json and closes its server a moment before its process ends, so the wait lasts until the
// process has gone — and yet comes to an end when the pid stays taken (by another process, once the daemon is gone).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Discovery } from '../../daemon/src/server/discovery';
import { waitUntilGone } from '../../daemon/src/server/stop-request';

const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-stop-wait-'));
const file = path.join(dir, 'daemon.json');
let closed: Server;
let discovery: Discovery;

beforeAll(async () => {
	// A port that refuses nothing but answers no /health: a daemon that has closed its server.
	closed = createServer((socket) => socket.destroy());
	await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
	const port = (closed.address() as { port: number }).port;
	discovery = { version: '0.1.0', pid: 424242, port, token: 't', startedAt: '2026-12-07T00:00:00.000Z' };
});

afterAll(() => {
	closed.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('waitUntilGone', () => {
	it('waits for the process itself once daemon.json is gone and it no longer answers', async () => {
		let checks = 0;
		// The process ends on the fifth look, after daemon.json and /health have already let it go.
		const gone = await waitUntilGone(discovery, file, 30_000, { alive: () => ++checks < 5, intervalMs: 10 });
		expect(gone).toBe(true);
		expect(checks).toBe(5);
	});

	it('ends the wait when the pid stays taken after the daemon has let go of everything', async () => {
		let checks = 0;
		expect(await waitUntilGone(discovery, file, 30_000, { alive: () => (++checks, true), intervalMs: 50 })).toBe(true);
		expect(checks).toBeGreaterThan(5);
	}, 60_000);

	it('gives up while daemon.json still names it', async () => {
		writeFileSync(file, JSON.stringify(discovery));
		try {
			expect(await waitUntilGone(discovery, file, 500, { alive: () => true, intervalMs: 20 })).toBe(false);
		} finally {
			rmSync(file, { force: true });
		}
	});
});
