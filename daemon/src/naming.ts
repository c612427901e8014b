// Names given to generated models and the files written for them: the picture's file name without extension,
// reduced to characters every engine and file system accepts, and never a name Windows keeps for a device (CON,
// NUL, COM1…), whichever system the model is made on, so a model made on Linux can be checked out on Windows.
// Used by the CLI, the daemon and the VS Code extension.
import path from 'node:path';
import { isDeviceName, type PathModule } from './paths';

/** Characters no Windows file name may hold (and `/`, which none may anywhere), with the control characters. */
const FORBIDDEN_IN_FILE_NAMES = /[<>:"/\\|?*\x00-\x1f]/g;

/** Node/material name for an image: its file name without extension, reduced to safe characters. */
export function modelName(imagePath: string, p: PathModule = path): string {
	return safeName(p.basename(imagePath).replace(/\.[^.]+$/, ''));
}

/**
 * Letters, digits, `_` and `-` only (other runs become `_`); `model` when nothing is left; a Windows device name
 * (`con`, `NUL`, `com1`) gets a `_` after it, so that files named after it are files everywhere.
 */
export function safeName(text: string): string {
	const name = text.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 100) || 'model';
	return isDeviceName(name) ? `${name}_` : name;
}

/**
 * A file name stem that keeps what the user wrote where every system allows it (dots, spaces, accents): the
 * characters Windows forbids (`<>:"/\|?*` and control characters) become `_`, the dots and spaces Windows drops
 * from the end of a name are removed, and a device name gets a `_` after it. `model` when nothing is left.
 *
 * @example
 * portableStem('chair: v2?'); // 'chair_ v2_'
 * portableStem('CON');        // 'CON_'
 * portableStem('nul.photo');  // 'nul_.photo'
 */
export function portableStem(text: string): string {
	const stem = text.replace(FORBIDDEN_IN_FILE_NAMES, '_').slice(0, 200).replace(/[. ]+$/, '') || 'model';
	if (!isDeviceName(stem)) return stem;
	// `nul.photo.glb` is NUL too: the mark goes before the first dot.
	const dot = stem.indexOf('.');
	return dot === -1 ? `${stem}_` : `${stem.slice(0, dot)}_${stem.slice(dot)}`;
}
