// `orfeas users add|list|revoke`: the tokens other machines use to reach a team server (users.ts keeps them
// hashed in $ORFEAS_HOME/users.json). A token is printed once, alone on stdout, so a script can capture it.
import { Home } from '../jobs/home';
import { addUser, readUsers, revokeUser, usersFile } from '../server/users';

export async function usersAdd(name: string, flags: { worker?: boolean; home?: string }): Promise<number> {
	const home = Home.resolve(flags.home);
	await home.prepare();
	const role = flags.worker ? 'worker' : 'user';
	const { token } = await addUser(usersFile(home.root), name, role);
	process.stderr.write(
		`Token for ${role} ${name} (shown this once; only its hash is kept, so keep it somewhere safe):\n`,
	);
	process.stdout.write(`${token}\n`);
	return 0;
}

export async function usersList(flags: { home?: string; json?: boolean }): Promise<number> {
	const home = Home.resolve(flags.home);
	const users = (await readUsers(usersFile(home.root))).users.map(({ name, role, created, revoked }) => ({ name, role, created, revoked: revoked ?? null }));
	if (flags.json) {
		process.stdout.write(`${JSON.stringify(users)}\n`);
		return 0;
	}
	if (users.length === 0) {
		process.stdout.write(`No users or workers yet. Add one with: orfeas users add NAME [--worker]\n`);
		return 0;
	}
	const width = Math.max(4, ...users.map((u) => u.name.length));
	const lines = users.map((u) => `${u.name.padEnd(width)}  ${u.role.padEnd(6)}  ${u.created}  ${u.revoked ? `revoked ${u.revoked}` : 'active'}`);
	process.stdout.write(`${'NAME'.padEnd(width)}  ROLE    CREATED                   STATUS\n${lines.join('\n')}\n`);
	return 0;
}

export async function usersRevoke(name: string, flags: { home?: string }): Promise<number> {
	const home = Home.resolve(flags.home);
	const { entry, already } = await revokeUser(usersFile(home.root), name);
	process.stdout.write(
		already
			? `${entry.role} ${entry.name} was already revoked (${entry.revoked}).\n`
			: `Revoked ${entry.role} ${entry.name}: a running daemon refuses its token from its next request and closes its connections.\n`,
	);
	return 0;
}
