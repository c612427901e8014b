// The sides an object can be pictured from, and the rules for a set of them. A view's name says where the camera
// stands, with the object's front toward +Z: `right` = camera at +X looking toward −X, `left` = −X, `back` = −Z,
// `top` = +Y looking down with the object's front at the bottom of the picture.
import { OrfeasError } from './errors';

export const VIEW_NAMES = ['front', 'back', 'left', 'right', 'top'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** Views given beside the front picture (`generate.views`). */
export const EXTRA_VIEWS = ['back', 'left', 'right', 'top'] as const;
export type ExtraView = (typeof EXTRA_VIEWS)[number];

/**
 * Checks what JSON Schema cannot: each view at most once, a sheet that holds the front, and not both a sheet and
 * separate views. Throws E_BAD_MESSAGE naming the field.
 */
export function checkViewSet(views: readonly { view: ExtraView }[] | undefined, sheet: readonly ViewName[] | undefined): void {
	const seen = new Set<string>();
	for (const [i, { view }] of (views ?? []).entries()) {
		if (seen.has(view)) throw new OrfeasError('E_BAD_MESSAGE', `The ${view} view is given twice (views.${i}). Give each side once.`, { field: `views.${i}.view` });
		seen.add(view);
	}
	if (!sheet) return;
	if (views?.length) {
		throw new OrfeasError('E_BAD_MESSAGE', 'Give either a sheet (one picture holding several views) or separate view pictures, not both.', { field: 'sheet' });
	}
	const named = new Set<string>();
	for (const [i, view] of sheet.entries()) {
		if (named.has(view)) throw new OrfeasError('E_BAD_MESSAGE', `The sheet names the ${view} view twice (sheet.${i}). Name each view once, left to right.`, { field: `sheet.${i}` });
		named.add(view);
	}
	if (!named.has('front')) {
		throw new OrfeasError('E_BAD_MESSAGE', `The sheet's views (${sheet.join(', ')}) do not include the front. Name the views left to right, e.g. front,right,back.`, { field: 'sheet' });
	}
}

/**
 * Runs work on one view's picture; an OrfeasError it throws (a missing file, an undecodable or oversized picture)
 * keeps its code and names the view, so the user knows which picture to fix.
 */
export async function forView<T>(view: ViewName, field: string, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw namedForView(error, view, field);
	}
}

/** The same error, its sentence prefixed with the view it concerns (an error of another kind is returned as is). */
export function namedForView(error: unknown, view: ViewName, field?: string): unknown {
	if (!(error instanceof OrfeasError) || error.details?.view) return error;
	return new OrfeasError(error.code, `The ${view} view: ${error.message}`, { ...error.details, view, ...(field ? { field } : {}) });
}
