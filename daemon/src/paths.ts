// Path rules that hold on Windows, macOS and Linux alike: comparing paths the way the file system does (Windows
// folds case, drops a trailing dot or space from a name and takes the `\\?\` long-path prefix), containment of a
// path in a folder, and the Windows shapes a client may not hand the daemon (device namespace, UNC shares,
// alternate data streams, device names such as CON or NUL). Pure: the path module is a parameter, so the Windows
// rules are tested on any machine with `path.win32` (test/portability/). jobs/home.ts, server/images.ts,
// scene/models.ts and cli/outputs.ts use them; naming.ts makes the names that are written.
import nodePath from 'node:path';
import { OrfeasError } from './protocol/errors';

/** `node:path`, `path.win32` or `path.posix`. */
export type PathModule = typeof nodePath.posix;

/** Whether `p` follows Windows rules (`path.win32`, or `node:path` on Windows). */
export function isWin32(p: PathModule): boolean {
	return p.sep === '\\';
}

/**
 * `\\?\C:\x` → `C:\x` and `\\?\UNC\server\share\x` → `\\server\share\x`: the long-path prefix names the same file
 * as the plain form, which is what the rules compare. Other paths, and every path outside Windows, are returned as
 * they are.
 */
export function withoutLongPrefix(file: string, p: PathModule = nodePath): string {
	if (!isWin32(p)) return file;
	const unc = /^[\\/]{2}[?.][\\/]UNC[\\/]/i.exec(file);
	if (unc) return `\\\\${file.slice(unc[0].length)}`;
	const drive = /^[\\/]{2}\?[\\/](?=[a-z]:)/i.exec(file);
	return drive ? file.slice(drive[0].length) : file;
}

/**
 * The form in which two paths are compared: absolute and normalised; on Windows also without the long-path prefix,
 * without the dots and spaces that Windows drops from the end of each name (`C:\home.\x` opens `C:\home\x`), and in
 * lower case (NTFS compares names case-insensitively by default).
 */
export function comparable(file: string, p: PathModule = nodePath): string {
	const resolved = p.resolve(withoutLongPrefix(file, p));
	if (!isWin32(p)) return resolved;
	const { root } = p.parse(resolved);
	const names = resolved
		.slice(root.length)
		.split(p.sep)
		.map((name) => (name === '.' || name === '..' ? name : name.replace(/[. ]+$/, '')));
	return p.resolve(root, ...names).toLowerCase();
}

/** Whether `a` and `b` name the same file by their text (links are not followed). */
export function samePath(a: string, b: string, p: PathModule = nodePath): boolean {
	return comparable(a, p) === comparable(b, p);
}

/**
 * True when `target` is `dir` itself or lies beneath it, after `..`, separators and (on Windows) case, drive
 * letters and the long-path prefix are accounted for. Another drive or share is never inside.
 *
 * @example
 * contains('C:\\work', 'c:\\WORK\\pics\\cat.png', path.win32); // true
 * contains('C:\\work', 'C:\\work\\..\\other', path.win32);     // false
 */
export function contains(dir: string, target: string, p: PathModule = nodePath): boolean {
	const relative = p.relative(comparable(dir, p), comparable(target, p));
	// `..` as a whole segment steps out; a name that merely begins with two dots (`..x.png`) is inside.
	return !(relative === '..' || relative.startsWith(`..${p.sep}`) || p.isAbsolute(relative));
}

/** Names Windows gives to devices, whatever the extension: `CON`, `nul.txt`, `COM1.png`, `LPT¹`. */
const DEVICE_NAME = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Whether Windows reads `name` (one file name, no folder) as a device rather than a file. */
export function isDeviceName(name: string): boolean {
	return DEVICE_NAME.test(name.split('.')[0].replace(/[ ]+$/, ''));
}

/**
 * Why a client-named path may not be read, or undefined when it may: it must be absolute (on Windows from a drive
 * letter, `C:\…`) and hold no NUL byte; on Windows it must not be a device path (`\\.\`, `\\?\`), a network share
 * (`\\server\share\…`: reaching one sends this user's credentials to that server), an alternate data stream
 * (`file.txt:hidden.png`) or name a device (`C:\pics\nul.png`).
 */
export function clientPathProblem(given: string, p: PathModule = nodePath): string | undefined {
	if (given.includes('\0')) return 'contains a NUL character';
	if (isWin32(p)) {
		if (/^[\\/]{2}[?.][\\/]/.test(given)) return 'is a Windows device path (\\\\.\\ or \\\\?\\): name the file from its drive letter, C:\\…';
		if (/^[\\/]{2}/.test(given)) return 'is on a network share (\\\\server\\share): copy it to a local drive, or map the share to a drive letter';
		if (!/^[a-z]:[\\/]/i.test(given)) return 'is not a full path from a drive letter (C:\\…): send the full path';
		if (given.indexOf(':', 2) !== -1) return 'names an alternate data stream (a ":" after the drive letter), not a file';
		const device = given.slice(3).split(/[\\/]/).find(isDeviceName);
		if (device !== undefined) return `names the Windows device ${device.split('.')[0].trim().toUpperCase()}, not a file`;
		return undefined;
	}
	return p.isAbsolute(given) ? undefined : 'is not an absolute path: send the full path';
}

/** Throws E_PATH, naming the path and what is wrong with it, when the client may not use `given`. */
export function checkClientPath(given: string, p: PathModule = nodePath, details?: Record<string, unknown>): void {
	const problem = clientPathProblem(given, p);
	if (problem) throw new OrfeasError('E_PATH', `"${printable(given)}" ${problem}.`, details);
}

/** `text` as it can be shown in a message: control characters replaced, at most 300 characters. */
export function printable(text: string): string {
	return text.replace(/[\0-\x1f]/g, '?').slice(0, 300);
}
