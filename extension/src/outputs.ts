// Where a generated or exported file goes, and the names tried when one is already there. Nothing here
// overwrites: the caller asks the user (or follows orfeas.ifExists) before replacing a file. The path module is a
// parameter (default: this system's), so Windows paths are tested on any machine.
import nodePath from 'node:path';
import { portableStem } from '../../daemon/src/naming';
import { samePath, type PathModule } from '../../daemon/src/paths';

/**
 * The folder for outputs of `image`: beside it, or orfeas.outputFolder — relative to the image's folder, or absolute
 * (on Windows from a drive letter or a share; either separator works).
 */
export function outputFolder(image: string, folderSetting: string, path: PathModule = nodePath): string {
	const base = path.dirname(image);
	const folder = folderSetting.trim();
	return folder ? path.resolve(base, folder) : base;
}

/**
 * The model's base name from the image's: `cat.photo.png` → `cat.photo`, made a name every system can write
 * (naming.ts: no `<>:"|?*`, no trailing dot or space, no device name such as `CON`).
 */
export function modelName(image: string, path: PathModule = nodePath): string {
	return portableStem(path.basename(image, path.extname(image)));
}

/** `cat.glb`, `cat-1.glb`, `cat-2.glb`… the first name `exists` says is free. */
export function freeName(file: string, exists: (candidate: string) => boolean, path: PathModule = nodePath): string {
	if (!exists(file)) return file;
	const ext = path.extname(file);
	const stem = file.slice(0, file.length - ext.length);
	for (let i = 1; ; i++) {
		const candidate = `${stem}-${i}${ext}`;
		if (!exists(candidate)) return candidate;
	}
}

/** Whether `file` is one of `files` as the file system sees it (on Windows `C:\m\Cat.glb` is `c:\m\cat.glb`). */
export function includesPath(files: Iterable<string>, file: string, path: PathModule = nodePath): boolean {
	for (const other of files) if (samePath(other, file, path)) return true;
	return false;
}
