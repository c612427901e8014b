// The "Orfeas" output channel: the extension's own lines, and the daemon's log (daemon.log in the Orfeas home)
// followed as it grows, so one place shows what happened on both sides.
import { open, stat } from 'node:fs/promises';
import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
	readonly channel = vscode.window.createOutputChannel('Orfeas');
	private offset = -1;
	private timer: NodeJS.Timeout | null = null;
	private reading = false;

	constructor(private readonly daemonLog: string) {}

	line(message: string): void {
		this.channel.appendLine(`${new Date().toISOString()} [vscode] ${message}`);
	}

	/** Starts copying new lines of daemon.log into the channel (from its current end). */
	follow(intervalMs = 1000): void {
		if (this.timer) return;
		this.timer = setInterval(() => void this.poll(), intervalMs);
		void this.poll();
	}

	show(): void {
		this.channel.show(true);
	}

	dispose(): void {
		if (this.timer) clearInterval(this.timer);
		this.channel.dispose();
	}

	private async poll(): Promise<void> {
		if (this.reading) return;
		this.reading = true;
		try {
			const size = (await stat(this.daemonLog)).size;
			// First look, or the daemon cut its log to its newest half: start from the last few KiB.
			if (this.offset < 0 || size < this.offset) this.offset = Math.max(0, size - 8192);
			if (size === this.offset) return;
			const handle = await open(this.daemonLog, 'r');
			try {
				const length = Math.min(size - this.offset, 1 << 20);
				const buffer = Buffer.alloc(length);
				await handle.read(buffer, 0, length, this.offset);
				const text = buffer.toString('utf8');
				const end = text.lastIndexOf('\n') + 1;
				if (end > 0) this.channel.append(text.slice(0, end));
				this.offset += Buffer.byteLength(text.slice(0, end));
			} finally {
				await handle.close();
			}
		} catch {
			// No log yet (daemon not started): try again next tick.
		} finally {
			this.reading = false;
		}
	}
}
