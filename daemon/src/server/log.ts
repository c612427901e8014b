// The daemon's log: one line per event, to stderr and to $ORFEAS_HOME/daemon.log (which the editors show).
// The file is truncated to its newest half when it passes a size, so it never grows without bound.
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';

export interface Logger {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
}

/** Largest size of daemon.log before it is cut to its newest half. */
const MAX_LOG_BYTES = 4 * 1024 * 1024;

export function createLogger(options: { file?: string; stderr?: boolean }): Logger {
	let written = 0;
	const write = (level: string, message: string) => {
		const line = `${new Date().toISOString()} ${level} ${message}\n`;
		if (options.stderr !== false) process.stderr.write(line);
		if (!options.file) return;
		try {
			appendFileSync(options.file, line, { mode: 0o600 });
			written += line.length;
			if (written > 64 * 1024) {
				written = 0;
				if (statSync(options.file).size > MAX_LOG_BYTES) {
					const text = readFileSync(options.file, 'utf8');
					writeFileSync(options.file, text.slice(text.indexOf('\n', text.length / 2) + 1), { mode: 0o600 });
				}
			}
		} catch {
			// A log that cannot be written must not take the daemon down.
		}
	};
	return {
		info: (m) => write('info', m),
		warn: (m) => write('warn', m),
		error: (m) => write('error', m),
	};
}

/** A logger that drops everything (unit tests). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
