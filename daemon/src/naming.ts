// Names given to generated models: the picture's file name without extension, reduced to characters every
// engine and file system accepts. Used by the CLI and the daemon alike.
import path from 'node:path';

/** Node/material name for an image: its file name without extension, reduced to safe characters. */
export function modelName(imagePath: string): string {
	return safeName(path.basename(imagePath).replace(/\.[^.]+$/, ''));
}

/** Letters, digits, `_` and `-` only (other runs become `_`); `model` when nothing is left. */
export function safeName(text: string): string {
	return text.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 100) || 'model';
}
