// Where a generated or exported file goes, and the names tried when one is already there. Nothing here
// overwrites: the caller asks the user (or follows orfeas.ifExists) before replacing a file.
import path from 'node:path';

/** The folder for outputs of `image`: beside it, or orfeas.outputFolder (relative to the image's folder, or absolute). */
export function outputFolder(image: string, folderSetting: string): string {
	const base = path.dirname(image);
	const folder = folderSetting.trim();
	return folder ? path.resolve(base, folder) : base;
}

/** The model's base name from the image's: `cat.photo.png` → `cat.photo`. */
export function modelName(image: string): string {
	return path.basename(image, path.extname(image));
}

/** `cat.glb`, `cat-1.glb`, `cat-2.glb`… the first name `exists` says is free. */
export function freeName(file: string, exists: (candidate: string) => boolean): string {
	if (!exists(file)) return file;
	const ext = path.extname(file);
	const stem = file.slice(0, file.length - ext.length);
	for (let i = 1; ; i++) {
		const candidate = `${stem}-${i}${ext}`;
		if (!exists(candidate)) return candidate;
	}
}
