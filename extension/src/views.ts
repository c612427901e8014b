// Which side of the object each picture shows, for "Generate 3D Model from Views" and "… from Sheet": views read
// from file-name suffixes (`chair_right.png`), the rest asked through an injected question, the rules the daemon
// enforces (protocol/views.ts) checked first so the user hears them before anything is sent. Free of VS Code.
import path from 'node:path';
import { portableStem } from '../../daemon/src/naming';
import { VIEW_NAMES, type ExtraView, type ViewName } from '../../daemon/src/protocol/views';

export { VIEW_NAMES, type ExtraView, type ViewName };

/** What each view means, said where the user picks one (the camera's position, as protocol/views.ts defines it). */
export const VIEW_DESCRIPTIONS: Readonly<Record<ViewName, string>> = {
	front: "the object's front, facing the camera",
	back: 'camera behind the object',
	left: "camera at the object's left: its front faces right in the picture",
	right: "camera at the object's right: its front faces left in the picture",
	top: "camera above: the object's front at the bottom of the picture",
};

/** The common turnaround sheets, offered first when asking a sheet's views. */
export const SHEET_LAYOUTS: readonly (readonly ViewName[])[] = [
	['front', 'right', 'back'],
	['front', 'right'],
	['front', 'left', 'back', 'right'],
	['front', 'right', 'back', 'top'],
];

/** `chair_front`, `chair-Front`, `chair front`: the stem before the suffix, and the view. */
const SUFFIX = new RegExp(`^(.*)[_\\- ](${VIEW_NAMES.join('|')})$`, 'i');

function stem(file: string): string {
	return path.basename(file, path.extname(file));
}

/** The view a picture's name says (`chair_right.png` → right), if it says one. */
export function viewOfFile(file: string): ViewName | undefined {
	return SUFFIX.exec(stem(file))?.[2].toLowerCase() as ViewName | undefined;
}

/**
 * The model's name from its front picture, without the view suffix: `chair_front.png` → `chair`; a name every
 * system can write as a file (`CON_front.png` → `CON_`, naming.ts).
 */
export function modelNameFromFront(file: string): string {
	const name = stem(file);
	const base = SUFFIX.exec(name)?.[1].replace(/[_\- ]+$/, '');
	return portableStem(base || name);
}

/** The pictures of one object by view: the front, and the others as the `generate` request's `views` wants them. */
export interface ViewSet<T> {
	front: T;
	views: { view: ExtraView; picture: T }[];
}

/** Asks which view a picture is, offering only the views still free; undefined: the user gave up. */
export type AskView<T> = (picture: T, offered: readonly ViewName[]) => Promise<ViewName | undefined>;

/**
 * Assigns a view to each picture: from its name where it has a suffix, otherwise by asking (named pictures first,
 * so the question never offers a view a later name takes). Undefined when the user gave up; throws a sentence
 * when the pictures cannot make one object (too few or many, a side twice, no front).
 */
export async function assignViews<T>(pictures: readonly T[], fileOf: (picture: T) => string, ask: AskView<T>): Promise<ViewSet<T> | undefined> {
	if (pictures.length < 2) {
		throw new Error('Select at least two pictures of the object, the front and another side; for one picture use "Generate 3D Model from Image".');
	}
	if (pictures.length > VIEW_NAMES.length) {
		throw new Error(`${pictures.length} pictures are selected, but an object has ${VIEW_NAMES.length} views (${VIEW_NAMES.join(', ')}). Select one picture per side.`);
	}
	const taken = new Map<ViewName, T>();
	const unnamed: T[] = [];
	for (const picture of pictures) {
		const view = viewOfFile(fileOf(picture));
		if (!view) {
			unnamed.push(picture);
			continue;
		}
		const other = taken.get(view);
		if (other !== undefined) throw twice(view, fileOf(other), fileOf(picture));
		taken.set(view, picture);
	}
	if (!unnamed.length && !taken.has('front')) throw noFront(pictures.map(fileOf));
	for (const picture of unnamed) {
		const view = await ask(picture, VIEW_NAMES.filter((v) => !taken.has(v)));
		if (!view) return undefined;
		const other = taken.get(view);
		if (other !== undefined) throw twice(view, fileOf(other), fileOf(picture));
		taken.set(view, picture);
	}
	const front = taken.get('front');
	if (front === undefined) throw noFront(pictures.map(fileOf));
	const views = VIEW_NAMES.flatMap((view) => (view !== 'front' && taken.has(view) ? [{ view, picture: taken.get(view)! }] : []));
	return { front, views };
}

function twice(view: ViewName, first: string, second: string): Error {
	return new Error(`${path.basename(first)} and ${path.basename(second)} are both the ${view} view. Select one picture per side.`);
}

function noFront(files: string[]): Error {
	const example = `${modelNameFromFront(files[0])}_front${path.extname(files[0])}`;
	return new Error(`None of ${files.map((f) => path.basename(f)).join(', ')} is the front view, and one must be: name the front picture like ${example}, or select it too.`);
}

/** Why `text` is not a sheet's views left to right (a comma list of distinct view names with the front), or undefined. */
export function sheetViewsProblem(text: string): string | undefined {
	const names = text.split(',').map((name) => name.trim().toLowerCase());
	if (names.some((name) => !name)) return `Name the views left to right, separated by commas, e.g. ${SHEET_LAYOUTS[0].join(',')}.`;
	const unknown = names.filter((name) => !(VIEW_NAMES as readonly string[]).includes(name));
	if (unknown.length) return `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a view' : 'are not views'}; the views are ${VIEW_NAMES.join(', ')}.`;
	const twiceNamed = names.find((name, i) => names.indexOf(name) !== i);
	if (twiceNamed) return `The ${twiceNamed} view is named twice; name each view once.`;
	if (names.length < 2) return `A sheet holds at least two views, e.g. ${SHEET_LAYOUTS[1].join(',')}.`;
	if (!names.includes('front')) return 'The views must include the front.';
	return undefined;
}

/** The views of `text` (see {@link sheetViewsProblem}); throws that sentence when it is not a valid list. */
export function parseSheetViews(text: string): ViewName[] {
	const problem = sheetViewsProblem(text);
	if (problem) throw new Error(problem);
	return text.split(',').map((name) => name.trim().toLowerCase() as ViewName);
}
