// Tokens for other machines (daemon/src/server/users.ts): what users.json holds (never a token), which role a
// token opens, the discovery token from loopback only, changes to the file seen without a restart, and a
// damaged file that locks everyone but the local clients out.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../daemon/src/server/log';
import { UserRateLimiter } from '../../daemon/src/server/rate';
import { addUser, Authenticator, CLIENT_ROLES, readUsers, refuseServerPaths, revokeUser, usersFile, WORKER_ROLES } from '../../daemon/src/server/users';

const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-users-'));
const file = usersFile(dir);
const LOCAL = 'local-token-from-daemon-json';

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function request(token: string | undefined, remoteAddress: string): IncomingMessage {
	return { headers: token ? { authorization: `Bearer ${token}` } : {}, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe('users.json', () => {
	it('keeps a salted hash, never the token, in a 0600 file; names are checked and taken once', async () => {
		const ana = await addUser(file, 'ana', 'user');
		const gpu = await addUser(file, 'gpu-1', 'worker');
		expect(ana.token).toMatch(/^ofu_[A-Za-z0-9_-]{43}$/);
		expect(gpu.token).toMatch(/^ofw_[A-Za-z0-9_-]{43}$/);
		const text = readFileSync(file, 'utf8');
		expect(text).not.toContain(ana.token);
		expect(text).not.toContain(ana.token.slice(4));
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const document = await readUsers(file);
		expect(document.version).toBe(1);
		expect(document.users.map((u) => [u.name, u.role, u.revoked])).toEqual([['ana', 'user', undefined], ['gpu-1', 'worker', undefined]]);
		expect(document.users[0].salt).not.toBe(document.users[1].salt);
		await expect(addUser(file, 'ana', 'user')).rejects.toMatchObject({ code: 'E_CONFLICT' });
		await expect(addUser(file, '../ana', 'user')).rejects.toMatchObject({ code: 'E_BAD_MESSAGE' });
		await expect(revokeUser(file, 'nobody')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
	});
});

describe('Authenticator', () => {
	const auth = new Authenticator({ localToken: LOCAL, file, log: silentLogger });

	it('tells the roles apart and keeps workers off the client routes and users off the worker routes', async () => {
		const bea = await addUser(file, 'bea', 'user');
		const worker = await addUser(file, 'gpu-2', 'worker');
		expect(auth.authenticate(bea.token, '192.0.2.7')).toEqual({ role: 'user', name: 'bea' });
		expect(auth.authenticate(worker.token, '192.0.2.7')).toEqual({ role: 'worker', name: 'gpu-2' });
		expect(auth.authenticate(`${bea.token}x`, '192.0.2.7')).toBeUndefined();
		expect(auth.authenticate(undefined, '127.0.0.1')).toBeUndefined();

		expect(auth.requireRole(request(bea.token, '192.0.2.7'), CLIENT_ROLES)).toEqual({ ok: true, principal: { role: 'user', name: 'bea' } });
		expect(auth.requireRole(request(worker.token, '192.0.2.7'), CLIENT_ROLES)).toMatchObject({ ok: false, status: 401, code: 'E_AUTH', message: expect.stringMatching(/worker token/) });
		expect(auth.requireRole(request(bea.token, '192.0.2.7'), WORKER_ROLES)).toMatchObject({ ok: false, code: 'E_AUTH', message: expect.stringMatching(/--worker/) });
		expect(auth.requireRole(request(worker.token, '192.0.2.7'), WORKER_ROLES)).toMatchObject({ ok: true, principal: { role: 'worker' } });
		expect(auth.requireRole(request(LOCAL, '127.0.0.1'), WORKER_ROLES)).toMatchObject({ ok: false, code: 'E_AUTH' });
	});

	it('takes the discovery token from loopback addresses only', () => {
		for (const address of ['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1']) {
			expect(auth.authenticate(LOCAL, address), address).toEqual({ role: 'local', name: 'local' });
		}
		for (const address of ['192.0.2.7', 'fd00::2', '::ffff:192.0.2.7', undefined]) {
			expect(auth.authenticate(LOCAL, address), String(address)).toBeUndefined();
		}
		expect(auth.check(LOCAL, '192.0.2.7', CLIENT_ROLES)).toMatchObject({ ok: false, message: expect.stringMatching(/orfeas users add/) });
		expect(auth.check('wrong', '127.0.0.1', CLIENT_ROLES)).toMatchObject({ ok: false, message: expect.stringMatching(/daemon\.json/) });
	});

	it('sees a revoke at once, and a name given out again does not revive the old token', async () => {
		const cai = await addUser(file, 'cai', 'user');
		const principal = auth.authenticate(cai.token, '192.0.2.7')!;
		expect(auth.stillValid(principal)).toBe(true);
		await revokeUser(file, 'cai');
		expect(auth.authenticate(cai.token, '192.0.2.7')).toBeUndefined();
		expect(auth.stillValid(principal)).toBe(false);
		expect(await revokeUser(file, 'cai')).toMatchObject({ already: true });
		const again = await addUser(file, 'cai', 'user');
		expect(auth.authenticate(again.token, '192.0.2.7')).toEqual({ role: 'user', name: 'cai' });
		expect(auth.authenticate(cai.token, '192.0.2.7')).toBeUndefined();
		expect(auth.stillValid(principal)).toBe(false);
	});

	it('accepts no user or worker token while the file is damaged, and the discovery token still', async () => {
		const dan = await addUser(file, 'dan', 'user');
		const good = readFileSync(file, 'utf8');
		const warnings: string[] = [];
		const watching = new Authenticator({ localToken: LOCAL, file, log: { ...silentLogger, warn: (m) => warnings.push(m) } });
		expect(watching.authenticate(dan.token, '192.0.2.7')).toBeDefined();
		writeFileSync(file, '{"version":1,"users":[{"name":');
		expect(watching.authenticate(dan.token, '192.0.2.7')).toBeUndefined();
		expect(watching.authenticate(LOCAL, '127.0.0.1')).toMatchObject({ role: 'local' });
		expect(warnings.join('\n')).toMatch(/not valid JSON/);
		writeFileSync(file, good);
		expect(watching.authenticate(dan.token, '192.0.2.7')).toEqual({ role: 'user', name: 'dan' });
	});
});

describe('per-user limits', () => {
	it('shares one bucket between the connections of a user, and leaves local clients alone', () => {
		const rates = new UserRateLimiter(10, 10);
		const ana = { role: 'user' as const, name: 'ana' };
		const anaAgain = { role: 'user' as const, name: 'ana' };
		let taken = 0;
		for (let i = 0; i < 15; i++) if (rates.take(i % 2 ? ana : anaAgain)) taken++;
		expect(taken).toBe(10);
		expect(rates.take({ role: 'user', name: 'bea' })).toBe(true);
		for (let i = 0; i < 100; i++) expect(rates.take({ role: 'local', name: 'local' })).toBe(true);
	});

	it('refuses server paths from other machines, not from local clients', () => {
		const remote = { role: 'user' as const, name: 'ana' };
		expect(() => refuseServerPaths(remote, { image: { path: '/srv/a.png' } })).toThrow(expect.objectContaining({ code: 'E_PATH' }));
		expect(() => refuseServerPaths(remote, { image: { upload: 'u_1' }, views: [{ image: { path: '/srv/b.png' } }] })).toThrow(expect.objectContaining({ code: 'E_PATH' }));
		expect(() => refuseServerPaths(remote, { base: '/srv' })).toThrow(expect.objectContaining({ code: 'E_PATH' }));
		expect(() => refuseServerPaths(remote, { image: { upload: 'u_1' } })).not.toThrow();
		expect(() => refuseServerPaths({ role: 'local', name: 'local' }, { image: { path: '/srv/a.png' }, base: '/srv' })).not.toThrow();
	});
});
