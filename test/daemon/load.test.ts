// Load against a real daemon: many clients submitting at once all get their own results and nothing is lost,
// and a thousand short-lived connections leave no file descriptors, memory or sessions behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeHome, startDaemon, type TestDaemon } from '../helpers/daemon';
import { distinctPicture } from '../helpers/pictures';
import { until } from '../helpers/poll';
import { metricValue, openFds, rssBytes } from '../helpers/proc';
import { TestClient } from '../helpers/ws-client';

const CLIENTS = 50;
const JOBS_PER_CLIENT = 2;
const TINY = { resolution: 32, textureSize: 512 };
const CYCLES = 1000;
const WARM_UP = 50;
const BATCH = 20;
/**
 * A leak of one descriptor per connection would show as +1000; a few may still be closing (the last batch's
 * sockets, the metrics scrape's connection) or be opened lazily by libuv, hence +5 rather than 0.
 */
const FD_TOLERANCE = 5;
/**
 * V8 grows its heap in steps and gives memory back to the system lazily, so RSS wobbles by tens of MiB with no
 * leak; a session leak of even 50 KiB each would be ~50 MiB over 1000 connections.
 */
const RSS_TOLERANCE = 40 * 2 ** 20;

let daemon: TestDaemon;

beforeAll(async () => {
	daemon = await startDaemon({ args: ['--cpu-jobs', '2'] });
});

afterAll(async () => {
	await daemon?.stop();
	if (daemon) removeHome(daemon.home);
});

describe('load', () => {
	it(`${CLIENTS} clients submitting ${JOBS_PER_CLIENT} jobs each at once: every job done, each client hears its own`, async () => {
		const pictures = await Promise.all(
			Array.from({ length: CLIENTS * JOBS_PER_CLIENT }, (_, i) => distinctPicture(96, 1000 + i)),
		);
		const started = performance.now();
		const clients = await Promise.all(Array.from({ length: CLIENTS }, () => TestClient.connect(daemon)));
		const mine = await Promise.all(
			clients.map(async (client, c) => {
				const ids: string[] = [];
				for (let j = 0; j < JOBS_PER_CLIENT; j++) {
					const accepted = await client.request(
						{ type: 'generate', image: { inline: true }, name: `load_${c}_${j}`, options: TINY },
						pictures[c * JOBS_PER_CLIENT + j],
					);
					expect(accepted, JSON.stringify(accepted)).toMatchObject({ type: 'accepted', cached: false });
					ids.push(accepted.jobId as string);
				}
				return ids;
			}),
		);
		const accepted = performance.now();
		const ends = await Promise.all(clients.flatMap((client, c) => mine[c].map((jobId) => client.finished(jobId, 110_000))));
		const finished = performance.now();

		expect(new Set(mine.flat()).size).toBe(CLIENTS * JOBS_PER_CLIENT);
		expect(ends.filter((m) => m.type === 'job.done')).toHaveLength(CLIENTS * JOBS_PER_CLIENT);
		for (const [c, client] of clients.entries()) {
			const done = client.messages.filter((m) => m.type === 'job.done').map((m) => m.jobId);
			expect(done.sort()).toEqual([...mine[c]].sort());
			expect(client.invalid).toEqual([]);
		}
		const listed = await clients[0].request({ type: 'job.list', state: 'done', limit: 1000 });
		expect((listed.jobs as unknown[]).length).toBe(CLIENTS * JOBS_PER_CLIENT);
		await Promise.all(clients.map((client) => client.close()));
		console.log(
			`load: ${CLIENTS * JOBS_PER_CLIENT} jobs accepted in ${Math.round(accepted - started)} ms, ` +
				`all done after ${Math.round(finished - started)} ms`,
		);
	});

	it(`${CYCLES} connect/hello/disconnect cycles leave no descriptors, memory or sessions behind`, async () => {
		const holder = await TestClient.connect(daemon);
		const cycles = async (count: number) => {
			for (let done = 0; done < count; done += BATCH) {
				await Promise.all(
					Array.from({ length: Math.min(BATCH, count - done) }, async () => {
						const client = await TestClient.connect(daemon);
						expect(client.messages[0]).toMatchObject({ type: 'welcome' });
						await client.close();
					}),
				);
			}
		};
		// Sessions are dropped when the server sees the close, a moment after the client does.
		const settled = () =>
			until('the sessions gauge back to the one held client', async () => (await metricValue(daemon, 'orfeas_ws_sessions')) === 1, {
				timeoutMs: 5000,
				intervalMs: 50,
			});

		await cycles(WARM_UP);
		await settled();
		const before = { fds: openFds(daemon.pid), rss: rssBytes(daemon.pid) };
		const started = performance.now();
		await cycles(CYCLES);
		const elapsed = performance.now() - started;
		await settled();
		// Back near the baseline within a few seconds, or the numbers as they stand fail the assertions below.
		const measure = () => ({ fds: openFds(daemon.pid), rss: rssBytes(daemon.pid) });
		const within = (m: { fds: number; rss: number }) => m.fds <= before.fds + FD_TOLERANCE && m.rss <= before.rss + RSS_TOLERANCE;
		await until('descriptors and memory back near the baseline', () => within(measure()), { timeoutMs: 5000, intervalMs: 50 }).catch(() => {});
		const { fds, rss } = measure();
		console.log(
			`connections: ${CYCLES} cycles in ${Math.round(elapsed)} ms; fds ${before.fds} → ${fds}, ` +
				`RSS ${(before.rss / 2 ** 20).toFixed(1)} → ${(rss / 2 ** 20).toFixed(1)} MiB`,
		);
		expect(fds).toBeLessThanOrEqual(before.fds + FD_TOLERANCE);
		expect(rss).toBeLessThanOrEqual(before.rss + RSS_TOLERANCE);
		expect(await metricValue(daemon, 'orfeas_ws_sessions')).toBe(1);
		expect(await holder.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
		await holder.close();
	});
});
