// Orfeas for VS Code: generate a model from an image (or from several views of one object), preview it, export
// it, send it to Blender or Unity, and compose scenes of models.
// Activation only wires things up and looks for a running daemon (or reaches the team server the settings name);
// a local daemon starts on the first command.
import path from 'node:path';
import * as vscode from 'vscode';
import { Home } from '../../daemon/src/jobs/home';
import { registerDaemonCommands } from './commands/daemon';
import { registerExport } from './commands/export';
import { registerGenerate } from './commands/generate';
import { registerGenerateViews } from './commands/generate-views';
import { registerSend } from './commands/send';
import { registerServerCommands, serverChoice } from './commands/server';
import { AssetIndex, type Orfeas } from './context';
import { Connection } from './daemon/connection';
import { Log } from './log';
import { PreviewProvider, PreviewRegistry } from './preview/provider';
import { registerSceneActions } from './scene/actions';
import { registerSceneCommands } from './scene/commands';
import { DaemonScenes } from './scene/layout';
import { SceneEditorProvider, SceneRegistry } from './scene/provider';
import { StatusBar } from './status-bar';

/** When the bundle began to evaluate (set by its banner, daemon/build.mjs), else when this module did. */
const loaded = (globalThis as { __orfeasLoadStart?: number }).__orfeasLoadStart ?? performance.now();

export function activate(context: vscode.ExtensionContext): void {
	const config = vscode.workspace.getConfiguration('orfeas.daemon');
	const home = Home.resolve(config.get<string>('home') || undefined);
	const log = new Log(home.log);
	const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
	const connection = new Connection({
		home: home.root,
		port: config.get<number>('port', 7878),
		autoStart: config.get<boolean>('autoStart', true),
		script: path.join(context.extensionPath, 'dist', 'orfeas.cjs'),
		node: process.execPath,
		nodePath: config.get<string>('nodePath') || undefined,
		client: { name: 'vscode', version },
		log: (line) => log.line(line),
		server: () => serverChoice(context.secrets),
	});
	const status = new StatusBar();
	const orfeas: Orfeas = { extension: context, connection, log, status, assets: new AssetIndex(context.globalState, connection) };
	const previews = new PreviewRegistry();
	const scenes = new SceneRegistry();
	const daemonScenes = new DaemonScenes(() => orfeas.connection.get());
	let warnedMismatch = false;
	const reconnect = (): void => {
		connection.reset();
		void connection.connectIfRunning();
	};
	context.subscriptions.push(
		log,
		status,
		{ dispose: () => connection.dispose() },
		{ dispose: connection.onState((state) => status.setState(state)) },
		{
			dispose: connection.onState((state) => {
				if (state.kind === 'connected') {
					warnedMismatch = false;
					// A team server's log is on the server.
					if (!state.server) log.follow();
				}
				if (state.kind === 'mismatch' && !warnedMismatch) {
					warnedMismatch = true;
					void vscode.window.showErrorMessage(`Orfeas: ${state.reason}`, 'Restart Daemon').then((choice) => choice && vscode.commands.executeCommand('orfeas.restartDaemon'));
				}
			}),
		},
		{ dispose: connection.onReconnect(() => log.line('Reconnected to the daemon; following running jobs again.')) },
		// Another server, pin or token: the next connection uses them (and nothing more goes to the old server).
		vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('orfeas.server') && reconnect()),
		context.secrets.onDidChange((e) => e.key.startsWith('orfeas.server.token') && reconnect()),
		registerGenerate(orfeas),
		...registerGenerateViews(orfeas),
		registerExport(orfeas, previews),
		...registerSend(orfeas, previews),
		...registerDaemonCommands(orfeas),
		...registerServerCommands(orfeas),
		...PreviewProvider.register(orfeas, previews),
		...SceneEditorProvider.register(orfeas, scenes, daemonScenes),
		...registerSceneCommands(orfeas, scenes),
		...registerSceneActions(orfeas, daemonScenes),
	);
	void connection.connectIfRunning();
	log.line(`Orfeas ${version} activated in ${Math.round(performance.now() - loaded)} ms (home ${home.root}).`);
}

export function deactivate(): void {
	// Registrations are disposed through context.subscriptions; a daemon started here keeps serving Blender and Unity.
}
