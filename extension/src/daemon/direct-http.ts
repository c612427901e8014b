// Node's HTTP client as Node defines it, for the extension's own requests and for ws (daemon/build.mjs points the
// bundle's `http` and `https` here). The extension host replaces `request` and `get` of those modules, in place,
// with versions that set VS Code's proxy agent on every request, and an agent makes a connection of its own: the
// one a request is handed through `createConnection` (the TLS connection whose certificate server.ts checked)
// would go unused. A ClientRequest made here takes the connection it is handed, else the module's global agent.
import nodeHttp from 'node:http';
import nodeHttps from 'node:https';

type Request = (options: nodeHttp.RequestOptions, callback?: (response: nodeHttp.IncomingMessage) => void) => nodeHttp.ClientRequest;

function direct<M extends typeof nodeHttp | typeof nodeHttps>(module: M, defaultAgent: nodeHttp.Agent): M {
	// `_defaultAgent` is how Node's https.request tells ClientRequest its agent and protocol.
	const request: Request = (options, callback) => new nodeHttp.ClientRequest({ ...options, _defaultAgent: defaultAgent } as nodeHttp.RequestOptions, callback);
	const get: Request = (options, callback) => {
		const made = request(options, callback);
		made.end();
		return made;
	};
	return { ...module, request, get };
}

/** `http` with Node's own `request` and `get`. */
export const http = direct(nodeHttp, nodeHttp.globalAgent);
/** `https` with Node's own `request` and `get`. */
export const https = direct(nodeHttps, nodeHttps.globalAgent);
