// The one error type of the extension's link to a daemon: a coded refusal from the daemon (its `error` reply, code
// from protocol/errors.ts), or one the link itself raises: E_CONNECTION (lost or never made), E_TIMEOUT,
// E_DOWNLOAD (checksum), E_TLS (a certificate not pinned or not vouched for) and E_SETTINGS (orfeas.server.*).

export class DaemonError extends Error {
	constructor(
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}
