// Commands about the daemon itself: show its log, restart it (with a team server: connect to it again), and choose
// the model generation uses.
import * as vscode from 'vscode';
import type { ModelView } from '../../../daemon/src/protocol/events';
import type { Orfeas } from '../context';
import { settings, showError, waitWithProgress } from '../ui';

export function registerDaemonCommands(orfeas: Orfeas): vscode.Disposable[] {
	return [
		vscode.commands.registerCommand('orfeas.showLog', () => orfeas.log.show()),
		vscode.commands.registerCommand('orfeas.restartDaemon', async () => {
			try {
				await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Orfeas: restarting the daemon…' }, () => orfeas.connection.restart());
				const state = orfeas.connection.state;
				vscode.window.showInformationMessage(state.kind === 'connected' && state.server ? `Orfeas: connected to ${state.server} again.` : 'Orfeas: the daemon is running again.');
			} catch (error) {
				await showError(orfeas.log, 'Restart Daemon', error);
			}
		}),
		vscode.commands.registerCommand('orfeas.selectModel', async () => {
			try {
				await selectModel(orfeas);
			} catch (error) {
				await showError(orfeas.log, 'Select Model', error);
			}
		}),
	];
}

async function selectModel(orfeas: Orfeas): Promise<void> {
	const client = await orfeas.connection.get();
	const reply = (await client.request({ type: 'models.list' })) as { models: ModelView[] };
	const current = settings().get<string>('generate.model', client.welcome.defaults.model);
	const items = reply.models
		.filter((m) => m.kind !== 'segmentation')
		.map((m) => ({
			label: `${m.id === current ? '$(check) ' : ''}${m.name ?? m.id}`,
			description: `${m.id}${m.builtin ? ' · built in' : m.installed ? ' · installed' : ` · download${m.bytes ? ` ${Math.round(m.bytes / 1e6)} MB` : ''}`}`,
			detail: m.needs ? `${m.description} Needs ${m.needs}.` : m.description,
			model: m,
		}));
	const picked = await vscode.window.showQuickPick(items, { title: 'Orfeas: model for Generate', matchOnDescription: true });
	if (!picked) return;
	const model = picked.model;
	if (!model.builtin && !model.installed) {
		const licence = model.licence ? ` Its licence: ${model.licence}.` : '';
		const needs = model.needs ? ` It needs ${model.needs}.` : '';
		const go = await vscode.window.showInformationMessage(`Download ${model.name ?? model.id}?${licence}${needs}`, { modal: true }, 'Download');
		if (go !== 'Download') return;
		await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Orfeas: downloading ${model.id}`, cancellable: true }, async (progress, token) => {
			const accepted = (await client.request({ type: 'models.pull', modelId: model.id, acceptLicence: true })) as { type: string; jobId?: string };
			if (!accepted.jobId) return;
			await waitWithProgress(orfeas.connection, accepted.jobId, progress, token);
		});
	}
	await settings().update('generate.model', model.id, vscode.ConfigurationTarget.Global);
	vscode.window.showInformationMessage(`Orfeas: Generate now uses ${model.name ?? model.id}.`);
}
