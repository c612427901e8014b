// A real Redis (Debian's redis-server) for the team-server tests: on a free loopback port, with its data in a
// temporary folder and the append-only file on, as BullMQ needs it (noeviction, persistence), so a Redis killed
// and started again keeps its queue. Fails loudly when redis-server is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireProgram } from './external';

export interface TestRedis {
	url: string;
	port: number;
	/** SIGKILL, as a crash. */
	kill(): Promise<void>;
	/** Starts it again on the same port and data folder. */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

export async function startRedis(): Promise<TestRedis> {
	const binary = requireProgram('redis-server');
	const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-redis-'));
	const port = await freePort();
	let child: ChildProcess;
	const launch = async () => {
		child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
			child.stdout!.on('data', (d) => {
				output += d;
				if (output.includes('Ready to accept connections')) {
					clearTimeout(timer);
					resolve();
				}
			});
			child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
		});
	};
	const exit = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
	await launch();
	return {
		url: `redis://127.0.0.1:${port}/0`,
		port,
		kill: async () => {
			child.kill('SIGKILL');
			await exit();
		},
		restart: launch,
		stop: async () => {
			child.kill('SIGTERM');
			await exit();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
