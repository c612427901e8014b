// How both webviews word a problem for their status line and the host's log: a rejected host message's issues in
// one line, and every report clipped to the length the `error` message's schema accepts (messages.ts, scene-messages.ts).
const MAX_ERROR = 2000;

/** A rejected message's zod issues as `path: message; …` (`message` for an issue with the whole message). */
export function issueList(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
	return issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`).join('; ');
}

/** `message` cut to what an `error` message may carry, with an ellipsis where it was cut. */
export function clipError(message: string): string {
	return message.length > MAX_ERROR ? `${message.slice(0, MAX_ERROR - 1)}…` : message;
}
