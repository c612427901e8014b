// The Hunyuan3D stand-in server (test/stand-ins/hunyuan3d/server.mjs) as a real process on a free port, with the
// requests it received readable from its log.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const STAND_IN = path.join(__dirname, '..', 'stand-ins', 'hunyuan3d', 'server.mjs');

export interface StandIn {
	url: string;
	process: ChildProcess;
	/** Every request received so far: method, path, body keys, whether an image came, the options sent. */
	requests(): { method: string; path: string; keys: string[]; image: boolean; options?: Record<string, unknown> }[];
	stop(): Promise<void>;
}

/** Starts the stand-in with `args` (e.g. ['--glb', file, '--texture-ms', '2000']) and waits for its address. */
export async function startStandIn(args: string[], log: string): Promise<StandIn> {
	const child = spawn(process.execPath, [STAND_IN, '--port', '0', '--log', log, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the stand-in did not start:\n${output}`)), 10_000);
		child.stdout.on('data', (d) => {
			output += d;
			const found = /listening on (http:\/\/\S+)/.exec(output);
			if (found) {
				clearTimeout(timer);
				resolve(found[1]);
			}
		});
		child.stderr.on('data', (d) => (output += d));
		child.once('exit', (code) => reject(new Error(`the stand-in exited (${code}):\n${output}`)));
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	return {
		url,
		process: child,
		requests: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
		},
	};
}
