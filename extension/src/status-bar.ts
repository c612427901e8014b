// The status-bar item: connection, execution provider and activity at a glance; a click opens the log.
import * as vscode from 'vscode';
import type { ConnectionState } from './daemon/connection';

export class StatusBar implements vscode.Disposable {
	private readonly item = vscode.window.createStatusBarItem('orfeas.status', vscode.StatusBarAlignment.Left, 50);
	private state: ConnectionState = { kind: 'connecting' };
	private active = 0;

	constructor() {
		this.item.name = 'Orfeas';
		this.item.command = 'orfeas.showLog';
		this.render();
		this.item.show();
	}

	setState(state: ConnectionState): void {
		this.state = state;
		this.render();
	}

	/** Counts running work; returns the function that ends it. */
	busy(): () => void {
		this.active++;
		this.render();
		let ended = false;
		return () => {
			if (ended) return;
			ended = true;
			this.active--;
			this.render();
		};
	}

	dispose(): void {
		this.item.dispose();
	}

	private render(): void {
		const s = this.state;
		const work = this.active > 0 ? ` · ${this.active} job${this.active > 1 ? 's' : ''}` : '';
		switch (s.kind) {
			case 'idle':
				this.item.text = `$(circle-outline) Orfeas${work}`;
				this.item.tooltip = 'The Orfeas daemon is not running; the first Orfeas command starts it.';
				this.item.backgroundColor = undefined;
				break;
			case 'connecting':
				this.item.text = `$(sync~spin) Orfeas: connecting${work}`;
				this.item.tooltip = 'Connecting to the Orfeas daemon…';
				this.item.backgroundColor = undefined;
				break;
			case 'connected':
				this.item.text = `${this.active > 0 ? '$(sync~spin)' : '$(check)'} Orfeas: ${s.welcome.engine.active}${work}`;
				this.item.tooltip = new vscode.MarkdownString(
					(s.server
						? `**Orfeas server ${s.server}** (Orfeas ${s.welcome.daemon.version})\n\n`
						: `**Orfeas daemon ${s.welcome.daemon.version}** on port ${s.port} (pid ${s.pid}${s.startedHere ? ', started by VS Code' : ''})\n\n`) +
						`Provider: ${s.welcome.engine.active} (available: ${s.welcome.engine.providers.join(', ')})\n\nClick to show the log.`,
				);
				this.item.backgroundColor = undefined;
				break;
			case 'offline':
			case 'mismatch':
				this.item.text = `$(error) Orfeas: ${s.kind === 'offline' ? 'offline' : 'version mismatch'}${work}`;
				this.item.tooltip = `${s.reason}\n\nClick to show the log.`;
				this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
				break;
		}
	}
}
