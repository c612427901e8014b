// The one error of the multi-view generator: pictures that cannot show the same object. The code joins the table
// in protocol/errors.ts; until then it is cast, so the edges pass it through like any other OrfeasError.
import { OrfeasError, type ErrorCode } from '../../protocol/errors';
import type { ViewName } from './frame';

/** Views that disagree with each other (extents, outlines) or cannot be used together. */
export const VIEWS_ERROR = 'E_VIEWS';

/** An `E_VIEWS` error naming the view at fault; `details.view` carries the name for clients. */
export function viewsError(view: ViewName, message: string, details: Record<string, unknown> = {}): OrfeasError {
	return new OrfeasError(VIEWS_ERROR as ErrorCode, message, { view, ...details });
}
