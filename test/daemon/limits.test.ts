// Per-connection message rate against a real daemon: a flood is answered with E_RATE_LIMIT, the connection
// stays open, and once the client slows down its requests are served again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../daemon/src/protocol/options';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { TestClient } from '../helpers/ws-client';

let daemon: TestDaemon;
beforeAll(async () => {
	daemon = await startDaemon();
});
afterAll(async () => {
	await daemon?.stop();
	removeHome(daemon.home);
});

describe('message rate', () => {
	it('answers a flood over the burst with E_RATE_LIMIT and keeps the connection', async () => {
		const client = await TestClient.connect(daemon);
		const flood = 3 * LIMITS.maxMessagesPerSecond;
		for (let i = 0; i < flood; i++) client.sendRaw(JSON.stringify({ type: 'ping', id: `f${i}` }));
		// Every message gets one answer: a pong, or E_RATE_LIMIT (which carries no request id).
		const answered = () => client.messages.filter((m) => m.type === 'pong' || (m.type === 'error' && m.code === 'E_RATE_LIMIT')).length;
		await client.waitFor(() => answered() >= flood, 10_000);
		const limited = client.messages.filter((m) => m.type === 'error' && m.code === 'E_RATE_LIMIT');
		const pongs = client.messages.filter((m) => m.type === 'pong');
		expect(limited.length).toBeGreaterThan(0);
		// The burst allowance (twice the rate) is served before limiting starts.
		expect(pongs.length).toBeGreaterThanOrEqual(2 * LIMITS.maxMessagesPerSecond - 1);
		expect(pongs.length + limited.length).toBe(flood);
		expect(client.socket.readyState).toBe(client.socket.OPEN);
		await new Promise((r) => setTimeout(r, 1000));
		expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
		await client.close();
	});
});
