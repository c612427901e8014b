// Generation options from the user's settings. The settings' defaults mirror GENERATE_DEFAULTS (a test holds
// the manifest to them), but only what the user actually set is sent: everything else is the daemon's default,
// the one written in protocol/options.ts and announced in `welcome.defaults`.
import { GenerateOptionsSchema, type GenerateOptionsInput } from '../../daemon/src/protocol/options';

/** Settings under `orfeas.generate.*`, one per option of `generate` (formats and profile belong to Export). */
export const GENERATE_SETTINGS = ['model', 'segmentation', 'resolution', 'thickness', 'textureSize', 'height', 'maxTriangles', 'lods', 'collider'] as const;
export type GenerateSetting = (typeof GENERATE_SETTINGS)[number];

/** What `WorkspaceConfiguration.inspect` tells about one setting (only the fields used here). */
export interface Inspected {
	globalValue?: unknown;
	workspaceValue?: unknown;
	workspaceFolderValue?: unknown;
}

/** The options the user set explicitly (most specific scope wins), validated; throws a sentence naming the setting. */
export function explicitOptions(inspect: (key: GenerateSetting) => Inspected | undefined): GenerateOptionsInput {
	const options: Record<string, unknown> = {};
	for (const key of GENERATE_SETTINGS) {
		const value = inspect(key);
		const chosen = value?.workspaceFolderValue ?? value?.workspaceValue ?? value?.globalValue;
		if (chosen !== undefined && chosen !== null) options[key] = chosen;
	}
	const parsed = GenerateOptionsSchema.partial().safeParse(options);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new Error(`The setting orfeas.generate.${String(issue.path[0])} is not valid: ${issue.message}. Fix it in Settings.`);
	}
	const valid: Record<string, unknown> = {};
	for (const key of Object.keys(options)) valid[key] = (parsed.data as Record<string, unknown>)[key];
	return valid as GenerateOptionsInput;
}
