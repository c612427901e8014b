// "Orfeas: Generate 3D Model from Views" (two to five pictures of one object, each from another side) and
// "… from Sheet" (one picture holding several views side by side). Which view is which is settled here, from
// file names or by asking (views.ts); generate.ts then makes the model as it does from one picture: same
// output folder and orfeas.ifExists, progress notification with Cancel, settings and preview.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Orfeas } from '../context';
import { modelName } from '../outputs';
import { showError } from '../ui';
import { assignViews, modelNameFromFront, parseSheetViews, SHEET_LAYOUTS, sheetViewsProblem, VIEW_DESCRIPTIONS, type ViewName } from '../views';
import { chooseImages, generate } from './generate';

export const GENERATE_VIEWS_COMMAND = 'orfeas.generateFromViews';
export const GENERATE_SHEET_COMMAND = 'orfeas.generateFromSheet';

export function registerGenerateViews(orfeas: Orfeas): vscode.Disposable[] {
	return [
		vscode.commands.registerCommand(GENERATE_VIEWS_COMMAND, async (clicked?: unknown, selected?: unknown) => {
			try {
				const pictures = await chooseImages(clicked, selected, { openLabel: 'Generate from Views', canSelectMany: true });
				if (!pictures.length) return;
				const set = await assignViews(pictures, (picture) => picture.path, askView);
				if (!set) return;
				const name = modelNameFromFront(set.front.path);
				const views = set.views.map(({ view, picture }) => ({ view, image: picture }));
				await generate(orfeas, [{ image: set.front, name, label: `${name} from ${views.length + 1} views`, views }]);
			} catch (error) {
				await showError(orfeas.log, 'Generate from Views', error);
			}
		}),
		vscode.commands.registerCommand(GENERATE_SHEET_COMMAND, async (clicked?: unknown) => {
			try {
				// One sheet: the picture clicked, even when several are selected.
				const [sheet] = await chooseImages(clicked, undefined, { openLabel: 'Generate from Sheet', canSelectMany: false });
				if (!sheet) return;
				const views = await askSheetViews(path.basename(sheet.path));
				if (!views) return;
				await generate(orfeas, [{ image: sheet, name: modelName(sheet.path), label: path.basename(sheet.path), sheet: views }]);
			} catch (error) {
				await showError(orfeas.log, 'Generate from Sheet', error);
			}
		}),
	];
}

/** Asks which side a picture whose name says none shows, offering the views not yet taken. */
async function askView(picture: vscode.Uri, offered: readonly ViewName[]): Promise<ViewName | undefined> {
	const picked = await vscode.window.showQuickPick(
		offered.map((view) => ({ label: view, description: VIEW_DESCRIPTIONS[view], view })),
		{ title: `Which view is ${path.basename(picture.path)}?`, placeHolder: 'Name pictures like chair_front.png, chair_right.png to skip this question', ignoreFocusOut: true },
	);
	return picked?.view;
}

/** Asks the sheet's views left to right: a common layout, or any list typed in. Undefined: the user gave up. */
async function askSheetViews(sheet: string): Promise<ViewName[] | undefined> {
	const other = 'Other…';
	const picked = await vscode.window.showQuickPick(
		[...SHEET_LAYOUTS.map((layout) => ({ label: layout.join(','), description: `${layout.length} views, left to right`, views: [...layout] })), { label: other, description: 'type the views left to right', views: undefined }],
		{ title: `Which views does ${sheet} hold, left to right?`, ignoreFocusOut: true },
	);
	if (!picked) return undefined;
	if (picked.views) return picked.views;
	const typed = await vscode.window.showInputBox({
		title: `The views of ${sheet}, left to right`,
		prompt: 'A comma list of front, back, left, right, top; each once, the front among them',
		placeHolder: 'front,right,back,top',
		ignoreFocusOut: true,
		validateInput: (text) => sheetViewsProblem(text),
	});
	return typed === undefined ? undefined : parseSheetViews(typed);
}
