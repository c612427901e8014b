// Who may connect (ARCHITECTURE.md § Security model): the daemon's own discovery token, for clients on this
// machine only (role `local`), and the tokens in $ORFEAS_HOME/users.json for editors (`user`) and generation
// workers (`worker`) on other machines. Tokens are stored as salted SHA-256, never as given; the file is
// written atomically by `orfeas users` and re-read by a running daemon when it changes, so a revoke needs no
// restart. The HTTP routes, the WebSocket (socket.ts, session.ts) and the worker routes all ask `Authenticator`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../jobs/atomic';
import { OrfeasError } from '../protocol/errors';
import { bearer, isLoopback, tokenMatches, type Verdict } from './guard';
import type { Logger } from './log';

export type Role = 'local' | 'user' | 'worker';

/** Who a token belongs to. */
export interface Principal {
	role: Role;
	name: string;
}

/** Roles that may use the editor routes: HTTP /v1/*, /metrics and the WebSocket. */
export const CLIENT_ROLES: readonly Role[] = ['local', 'user'];
/** Roles that may use the worker routes. */
export const WORKER_ROLES: readonly Role[] = ['worker'];

export type RoleVerdict = { ok: true; principal: Principal } | Extract<Verdict, { ok: false }>;

const UserEntry = z
	.object({
		name: z.string(),
		role: z.enum(['user', 'worker']),
		created: z.string(),
		/** When it was revoked; absent while the token is valid. */
		revoked: z.string().optional(),
		/** Hex salt and hex SHA-256 of salt + token. */
		salt: z.string().regex(/^[0-9a-f]{32}$/),
		sha256: z.string().regex(/^[0-9a-f]{64}$/),
	})
	.strict();
export type UserEntry = z.infer<typeof UserEntry>;

const UsersDocument = z.object({ version: z.literal(1), users: z.array(UserEntry) }).strict();
export type UsersDocument = z.infer<typeof UsersDocument>;

/** A name people can type and read in a log: letters, digits, dot, dash, underscore. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TOKEN_PREFIX = { user: 'ofu_', worker: 'ofw_' } as const;

export function usersFile(homeRoot: string): string {
	return path.join(homeRoot, 'users.json');
}

/** A fresh token: a prefix saying its role (for people reading a leaked one) and 32 random bytes. */
export function newToken(role: 'user' | 'worker'): string {
	return TOKEN_PREFIX[role] + randomBytes(32).toString('base64url');
}

export function hashToken(token: string, salt: string): string {
	return createHash('sha256').update(salt, 'hex').update(token, 'utf8').digest('hex');
}

function entryMatches(entry: UserEntry, token: string): boolean {
	return timingSafeEqual(Buffer.from(hashToken(token, entry.salt), 'hex'), Buffer.from(entry.sha256, 'hex'));
}

export async function readUsers(file: string): Promise<UsersDocument> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, users: [] };
		throw error;
	}
	return parseUsers(text, file);
}

function parseUsers(text: string, file: string): UsersDocument {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new OrfeasError('E_CONFLICT', `${file} is not valid JSON. Fix it or move it away (every token in it then stops working).`);
	}
	const parsed = UsersDocument.safeParse(value);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new OrfeasError('E_CONFLICT', `${file} is damaged: ${issue.message} at ${issue.path.join('.') || 'the top'}. Fix it or move it away.`);
	}
	return parsed.data;
}

async function writeUsers(file: string, document: UsersDocument): Promise<void> {
	await writeFileAtomic(file, `${JSON.stringify(document, null, 1)}\n`, 0o600);
}

/** Adds a user or worker and returns its token, which is stored only hashed: this is the one time it is seen. */
export async function addUser(file: string, name: string, role: 'user' | 'worker', now = new Date()): Promise<{ entry: UserEntry; token: string }> {
	if (!NAME.test(name)) {
		throw new OrfeasError('E_BAD_MESSAGE', `"${name.slice(0, 80)}" is not a usable name: use up to 64 letters, digits, dots, dashes or underscores.`);
	}
	const document = await readUsers(file);
	const existing = document.users.find((u) => u.name === name);
	if (existing && !existing.revoked) {
		throw new OrfeasError('E_CONFLICT', `${name} already has a token. Revoke it first (orfeas users revoke ${name}) to issue a new one.`);
	}
	const token = newToken(role);
	const salt = randomBytes(16).toString('hex');
	const entry: UserEntry = { name, role, created: now.toISOString(), salt, sha256: hashToken(token, salt) };
	// A revoked name given out again keeps one line: the old token stays dead because its hash is gone.
	document.users = [...document.users.filter((u) => u.name !== name), entry];
	await writeUsers(file, document);
	return { entry, token };
}

/** Revokes a name's token; `already` when it was revoked before. */
export async function revokeUser(file: string, name: string, now = new Date()): Promise<{ entry: UserEntry; already: boolean }> {
	const document = await readUsers(file);
	const entry = document.users.find((u) => u.name === name);
	if (!entry) throw new OrfeasError('E_NOT_FOUND', `No user or worker named ${name.slice(0, 80)}. See orfeas users list.`);
	if (entry.revoked) return { entry, already: true };
	entry.revoked = now.toISOString();
	await writeUsers(file, document);
	return { entry, already: false };
}

/** Tokens that still open the daemon, of one role. */
export function activeCount(document: UsersDocument, role: 'user' | 'worker'): number {
	return document.users.filter((u) => u.role === role && !u.revoked).length;
}

export interface AuthenticatorOptions {
	/** The daemon's own token, from daemon.json. */
	localToken: string;
	/** users.json. */
	file: string;
	log: Logger;
}

/**
 * Answers "whose token is this?" for every route. users.json is looked at (one stat) on each call and re-read
 * when it has changed; a file that cannot be read counts as empty, so a damaged file locks users out, never in.
 *
 * @example
 * const verdict = ctx.auth.requireRole(req, WORKER_ROLES);
 * if (!verdict.ok) return sendError(res, new OrfeasError(verdict.code, verdict.message));
 * log.info(`worker ${verdict.principal.name} connected`);
 */
export class Authenticator {
	private stamp = '';
	private entries: UserEntry[] = [];
	/** The hash each principal was matched by, so a name revoked and given out again does not revive it. */
	private readonly issued = new WeakMap<Principal, string>();

	constructor(private readonly options: AuthenticatorOptions) {}

	/**
	 * The principal a token belongs to, or undefined. The discovery token counts only from a loopback address
	 * (`remoteAddress` of the socket; absent means not loopback).
	 */
	authenticate(token: string | undefined, remoteAddress?: string): Principal | undefined {
		if (!token) return undefined;
		if (isLoopback(remoteAddress) && tokenMatches(token, this.options.localToken)) return { role: 'local', name: 'local' };
		// Every entry is hashed and compared, so the time taken says nothing about which one matched.
		let found: UserEntry | undefined;
		for (const entry of this.current()) if (entryMatches(entry, token) && !entry.revoked) found = entry;
		if (!found) return undefined;
		const principal: Principal = { role: found.role, name: found.name };
		this.issued.set(principal, found.sha256);
		return principal;
	}

	/** The bearer token of a request, authenticated and held against the roles a route takes. */
	requireRole(req: IncomingMessage, roles: readonly Role[]): RoleVerdict {
		return this.check(bearer(req), req.socket.remoteAddress, roles);
	}

	/** `requireRole` for a token that came some other way (the WebSocket hello). */
	check(token: string | undefined, remoteAddress: string | undefined, roles: readonly Role[]): RoleVerdict {
		const principal = this.authenticate(token, remoteAddress);
		if (!principal) {
			const message = isLoopback(remoteAddress)
				? 'Missing or wrong token. Read it from daemon.json in the Orfeas home folder.'
				: 'Missing, wrong or revoked token. Ask whoever runs this server for a token (orfeas users add NAME).';
			return { ok: false, status: 401, code: 'E_AUTH', message };
		}
		if (!roles.includes(principal.role)) return { ok: false, status: 401, code: 'E_AUTH', message: wrongRole(principal, roles) };
		return { ok: true, principal };
	}

	/** Whether a principal's token still opens the daemon (false once revoked). */
	stillValid(principal: Principal): boolean {
		if (principal.role === 'local') return true;
		const sha256 = this.issued.get(principal);
		return this.current().some((entry) => entry.sha256 === sha256 && !entry.revoked);
	}

	private current(): UserEntry[] {
		const file = this.options.file;
		let stamp = 'none';
		try {
			const info = statSync(file);
			stamp = `${info.ino}:${info.size}:${info.mtimeMs}`;
		} catch {
			// No file: no users.
		}
		if (stamp === this.stamp) return this.entries;
		this.stamp = stamp;
		this.entries = [];
		if (stamp === 'none') return this.entries;
		try {
			this.entries = parseUsers(readFileSync(file, 'utf8'), file).users;
		} catch (error) {
			this.options.log.warn(`users: ${error instanceof Error ? error.message : String(error)} No user or worker token is accepted until it is fixed.`);
		}
		return this.entries;
	}
}

/**
 * Paths name files on the daemon's machine, so only its own clients may give them: someone on another machine
 * sends the picture itself (an upload or a binary frame) and creates scenes without a base folder.
 */
export function refuseServerPaths(principal: Principal | undefined, message: { image?: object; views?: readonly { image: object }[]; base?: string }): void {
	if (principal?.role === 'local') return;
	const byPath = [message.image, ...(message.views ?? []).map((v) => v.image)].some((image) => image !== undefined && 'path' in image);
	if (byPath || message.base !== undefined) {
		throw new OrfeasError('E_PATH', 'Paths name files on the server, which only its own machine may use. Send the picture itself: upload it (POST /v1/uploads) or inline it in a binary frame.');
	}
}

function wrongRole(principal: Principal, roles: readonly Role[]): string {
	if (principal.role === 'worker') return `${principal.name} has a worker token, which opens the worker routes only. Editors need a user token (orfeas users add NAME).`;
	if (roles.includes('worker')) return 'This route is for workers: use a worker token (orfeas users add NAME --worker).';
	return `This route does not take a ${principal.role} token.`;
}
