// What a process holds, read from Linux's /proc: open file descriptors and resident memory, for leak tests
// that watch the daemon from outside; and its Prometheus gauges, read the way a scraper would.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { TestDaemon } from './daemon';

export function openFds(pid: number): number {
	return readdirSync(`/proc/${pid}/fd`).length;
}

/** VmRSS in bytes. */
export function rssBytes(pid: number): number {
	const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!match) throw new Error(`no VmRSS for process ${pid}`);
	return Number(match[1]) * 1024;
}

/**
 * One value from GET /metrics. The request goes on its own connection that closes with the response, so the
 * scrape leaves no keep-alive socket (and file descriptor) behind in the daemon.
 */
export function metricValue(daemon: TestDaemon, name: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = http.get(daemon.url('/metrics'), { agent: false, headers: { authorization: `Bearer ${daemon.token}` } }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (text += chunk));
			res.on('end', () => {
				const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
				if (res.statusCode !== 200 || !line) reject(new Error(`metric ${name} missing (HTTP ${res.statusCode})`));
				else resolve(Number(line.slice(line.lastIndexOf(' ') + 1)));
			});
		});
		req.on('error', reject);
	});
}
