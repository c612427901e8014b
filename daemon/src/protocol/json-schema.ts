// Protocol v1 as plain JSON Schema (draft 2020-12), for the clients that cannot run zod: the Blender add-on reads
// it from protocol_v1.json, the Unity bridge will too. `npm run schema` writes that file from the zod schemas in
// messages.ts and events.ts; test/protocol/json-schema.test.ts fails when the committed copy is stale.
import { z } from 'zod';
import { DaemonMessages } from './events';
import { MAX_HEADER_BYTES } from './frames';
import { ClientMessages, PROTOCOL_VERSION } from './messages';

/** Where `npm run schema` writes the file, from the repository root. */
export const PROTOCOL_SCHEMA_FILE = 'bridge-blender/orfeas_bridge/client/protocol_v1.json';

/**
 * Keywords for what JSON Schema cannot express. The rules of zod refinements are declared with `.meta()` beside
 * each `.refine()`; the message is taken from the refinement (or the `.regex()`) itself. Like zod, a validator
 * applies the rules only after the standard keywords of the same schema found nothing that aborts (a wrong type,
 * a missing key, a value outside an enum).
 */
export const ORFEAS_KEYWORDS = {
	'x-orfeas-decreasing': 'true on an array of numbers: each item is smaller than the one before it',
	'x-orfeas-exactlyOne': 'property names on an object: exactly one of them is present',
	'x-orfeas-field': 'with x-orfeas-exactlyOne: the property its error names',
	'x-orfeas-message': "the daemon's sentence when this schema's pattern or x-orfeas rule fails",
} as const;

type JsonSchema = Record<string, unknown>;

/** The sentence a `.regex(…, message)` or `.refine(…, message)` gives, so that clients report the same words. */
function customMessage(schema: z.core.$ZodType): string | undefined {
	const messages = (schema._zod.def.checks ?? [])
		.filter((check) => check._zod.def.check === 'custom' || (check._zod.def.check === 'string_format' && 'pattern' in check._zod.def))
		.map((check) => check._zod.def.error?.({} as never))
		.filter((message): message is string => typeof message === 'string');
	if (messages.length > 1) throw new Error(`protocol schema: one x-orfeas-message per schema, found ${messages.join(' / ')}`);
	return messages[0];
}

function toJson(schema: z.ZodType): JsonSchema {
	// `input`: what may be sent, so fields with a default are optional; unrepresentable types throw.
	return z.toJSONSchema(schema, {
		io: 'input',
		override: ({ zodSchema, jsonSchema }) => {
			const message = customMessage(zodSchema);
			if (message !== undefined) (jsonSchema as JsonSchema)['x-orfeas-message'] = message;
		},
	}) as JsonSchema;
}

function byType(messages: Record<string, z.ZodType>): Record<string, JsonSchema> {
	return Object.fromEntries(Object.entries(messages).map(([type, schema]) => [type, toJson(schema)]));
}

/**
 * The content of protocol_v1.json: one JSON Schema per message type, in declaration order.
 *
 * @example
 * writeFileSync(PROTOCOL_SCHEMA_FILE, protocolJsonSchemaText());
 */
export function protocolJsonSchema(): Record<string, unknown> {
	return {
		$comment: 'Generated from daemon/src/protocol by `npm run schema`; do not edit.',
		protocol: PROTOCOL_VERSION,
		maxHeaderBytes: MAX_HEADER_BYTES,
		keywords: ORFEAS_KEYWORDS,
		client: byType(ClientMessages),
		daemon: byType(DaemonMessages),
	};
}

/** The exact text of protocol_v1.json: two-space indented, ending in a newline. */
export function protocolJsonSchemaText(): string {
	return `${JSON.stringify(protocolJsonSchema(), null, 2)}\n`;
}
