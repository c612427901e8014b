// Small pieces of UI the commands share: errors shown as the daemon's sentence (never a stack trace), the
// question asked before a file would be replaced, and finding the file a command is about.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { DaemonError } from './daemon/client';
import type { Connection } from './daemon/connection';
import { CancelledError, waitForJob, type JobDone } from './jobs';
import type { Log } from './log';
import { freeName } from './outputs';
import { describeProgress, ProgressIncrements } from './progress';

/** Shows what went wrong as one sentence, with the code in the log. Cancellation is not an error. */
export async function showError(log: Log, what: string, error: unknown): Promise<void> {
	if (error instanceof CancelledError) return;
	const message = error instanceof Error ? error.message : String(error);
	const code = error instanceof DaemonError ? error.code : 'E_EXTENSION';
	log.line(`${what}: ${code} ${message}`);
	if (!(error instanceof DaemonError)) log.line(error instanceof Error && error.stack ? error.stack : message);
	const choice = await vscode.window.showErrorMessage(`Orfeas: ${what} — ${message}`, 'Show Log');
	if (choice === 'Show Log') log.show();
}

export type IfExists = 'ask' | 'keepBoth' | 'overwrite';

/**
 * The path to write `target` to: itself when free; otherwise what orfeas.ifExists says, asking the user when it
 * says "ask". Null: the user chose not to write.
 */
export async function choosePath(target: string, policy: IfExists): Promise<string | null> {
	if (!existsSync(target)) return target;
	const keepBoth = freeName(target, existsSync);
	if (policy === 'overwrite') return target;
	if (policy === 'keepBoth') return keepBoth;
	const choice = await vscode.window.showWarningMessage(
		`${path.basename(target)} already exists in ${path.dirname(target)}.`,
		{ modal: true, detail: `"Keep Both" writes ${path.basename(keepBoth)}.` },
		'Replace',
		'Keep Both',
	);
	if (choice === 'Replace') return target;
	if (choice === 'Keep Both') return keepBoth;
	return null;
}

/** The model a command is about: the one clicked, else the active preview or editor, else one the user picks. */
export async function modelUri(arg: unknown, activePreview: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
	if (arg instanceof vscode.Uri) return arg;
	if (activePreview) return activePreview;
	const editor = vscode.window.activeTextEditor?.document.uri;
	if (editor && /\.(glb|gltf)$/i.test(editor.path)) return editor;
	const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'glTF models': ['glb', 'gltf'] }, openLabel: 'Select Model' });
	return picked?.[0];
}

/** Waits for a job, showing its stage, percentage and time left in `progress`; the notification's Cancel cancels it. */
export function waitWithProgress(connection: Connection, jobId: string, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<JobDone> {
	const bar = new ProgressIncrements();
	return waitForJob(connection, jobId, {
		onProgress: (p) => progress.report({ message: describeProgress(p.stage, p.progress, p.etaMs), increment: bar.next(p.progress) }),
		onCancel: (cancel) => token.onCancellationRequested(cancel),
	});
}

export function settings(): vscode.WorkspaceConfiguration {
	return vscode.workspace.getConfiguration('orfeas');
}
