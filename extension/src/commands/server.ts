// A team server instead of the daemon on this machine: orfeas.server.url and orfeas.server.fingerprint in the
// settings, and the user's token in VS Code's secret storage, never in settings.json. "Orfeas: Set Server Token"
// and "… Clear Server Token" keep it there under the server's address, so a token is only ever sent to the
// server it was given for; extension.ts reconnects when any of the three changes.
import * as vscode from 'vscode';
import type { ServerChoice } from '../daemon/connection';
import { DaemonError } from '../daemon/errors';
import { parseServer, tokenKey, tokenProblem, type TeamServer } from '../daemon/server';
import type { Orfeas } from '../context';
import { settings, showError } from '../ui';

export const SET_TOKEN_COMMAND = 'orfeas.setServerToken';
export const CLEAR_TOKEN_COMMAND = 'orfeas.clearServerToken';

/** The server settings as the connection reads them at every connect, with the token kept for that server. */
export function serverChoice(secrets: vscode.SecretStorage): ServerChoice {
	const config = settings();
	return {
		url: config.get<string>('server.url', ''),
		fingerprint: config.get<string>('server.fingerprint', ''),
		token: async (server) => (await secrets.get(tokenKey(server))) || undefined,
	};
}

export function registerServerCommands(orfeas: Orfeas): vscode.Disposable[] {
	const secrets = orfeas.extension.secrets;
	return [
		vscode.commands.registerCommand(SET_TOKEN_COMMAND, async () => {
			try {
				const server = configuredServer();
				const token = await vscode.window.showInputBox({
					title: `Orfeas: token for ${server.origin}`,
					prompt: 'Your user token, as `orfeas users add NAME` printed it on the server. It is kept in VS Code\'s secret storage.',
					password: true,
					ignoreFocusOut: true,
					validateInput: tokenProblem,
				});
				if (token === undefined) return;
				await secrets.store(tokenKey(server), token.trim());
				orfeas.log.line(`A token for ${server.origin} is now kept in VS Code's secret storage.`);
				vscode.window.showInformationMessage(`Orfeas: the token for ${server.origin} is kept in VS Code's secret storage.`);
			} catch (error) {
				await showError(orfeas.log, 'Set Server Token', error);
			}
		}),
		vscode.commands.registerCommand(CLEAR_TOKEN_COMMAND, async () => {
			try {
				const server = configuredServer();
				await secrets.delete(tokenKey(server));
				orfeas.log.line(`Forgot the token for ${server.origin}.`);
				vscode.window.showInformationMessage(`Orfeas: forgot the token for ${server.origin}.`);
			} catch (error) {
				await showError(orfeas.log, 'Clear Server Token', error);
			}
		}),
	];
}

/** The server of the settings; a sentence saying to set one when orfeas.server.url is empty. */
function configuredServer(): TeamServer {
	const url = settings().get<string>('server.url', '');
	if (!url.trim()) throw new DaemonError('E_SETTINGS', 'Set orfeas.server.url to the team server first (e.g. https://gpu-box:7878): the daemon on this machine needs no token.');
	return parseServer(url);
}
