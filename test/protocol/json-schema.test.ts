// protocol_v1.json, the JSON Schema copy of the protocol that the Blender add-on validates with, and its C# twin
// ProtocolSchema.g.cs in the Unity bridge: the committed files must be what the zod schemas generate, and the
// refinements must reach them as x-orfeas keywords.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DaemonMessages } from '../../daemon/src/protocol/events';
import {
	PROTOCOL_SCHEMA_CSHARP_FILE,
	PROTOCOL_SCHEMA_FILE,
	protocolJsonSchema,
	protocolJsonSchemaText,
	protocolSchemaCSharpText,
} from '../../daemon/src/protocol/json-schema';
import { ClientMessages } from '../../daemon/src/protocol/messages';

const ROOT = path.resolve(__dirname, '../..');
type Schema = Record<string, any>;

describe('protocol_v1.json', () => {
	const generated = protocolJsonSchema() as { client: Record<string, Schema>; daemon: Record<string, Schema> };

	it('is the committed copy of the zod schemas', () => {
		const committed = readFileSync(path.join(ROOT, PROTOCOL_SCHEMA_FILE), 'utf8');
		if (committed !== protocolJsonSchemaText()) {
			throw new Error(`${PROTOCOL_SCHEMA_FILE} differs from the zod schemas in daemon/src/protocol: run npm run schema`);
		}
	});

	it('is compiled into the Unity bridge as the same text', () => {
		const committed = readFileSync(path.join(ROOT, PROTOCOL_SCHEMA_CSHARP_FILE), 'utf8');
		if (committed !== protocolSchemaCSharpText()) {
			throw new Error(`${PROTOCOL_SCHEMA_CSHARP_FILE} differs from the zod schemas in daemon/src/protocol: run npm run schema`);
		}
		// The verbatim string, undoubled, is protocol_v1.json's text.
		const literal = /internal const string k_Json = @"([^]*)";\n/.exec(committed)?.[1];
		expect(literal?.replaceAll('""', '"')).toBe(protocolJsonSchemaText().trimEnd());
	});

	it('has one schema per message type, in declaration order', () => {
		expect(Object.keys(generated.client)).toEqual(Object.keys(ClientMessages));
		expect(Object.keys(generated.daemon)).toEqual(Object.keys(DaemonMessages));
	});

	it('carries the LOD refinement wherever LOD ratios appear', () => {
		const lods = [
			generated.client.generate.properties.options.properties.lods,
			generated.client.export.properties.lods,
			generated.daemon.welcome.properties.defaults.properties.lods,
			generated.daemon.job.properties.job.properties.options.properties.lods,
		];
		for (const schema of lods) {
			expect(schema).toMatchObject({
				type: 'array',
				'x-orfeas-decreasing': true,
				'x-orfeas-message': 'LOD ratios must decrease, e.g. [1, 0.5, 0.25]',
			});
		}
	});

	it("carries push's exactly-one rule with the field zod reports", () => {
		expect(generated.client.push).toMatchObject({
			'x-orfeas-exactlyOne': ['assetId', 'sceneId'],
			'x-orfeas-field': 'assetId',
			'x-orfeas-message': 'give exactly one of assetId and sceneId',
		});
	});

	it("carries the ids' own sentences beside their patterns", () => {
		expect(generated.client.cancel.properties.jobId).toMatchObject({
			pattern: '^j_[a-z0-9]{20}$',
			'x-orfeas-message': 'a job id such as j_0123456789abcdefghij',
		});
	});

	it("uses no keyword the bridges' validators do not know", () => {
		// bridge-blender/orfeas_bridge/client/validator.py and bridge-unity/Editor/Protocol/SchemaValidator.cs throw
		// on anything else; keep this list in step with them.
		const known = new Set([
			'$schema', 'type', 'const', 'enum', 'anyOf', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum',
			'items', 'prefixItems', 'minItems', 'maxItems', 'properties', 'required', 'additionalProperties', 'propertyNames', 'default',
			'x-orfeas-decreasing', 'x-orfeas-exactlyOne', 'x-orfeas-field', 'x-orfeas-message',
		]);
		const used = new Set<string>();
		const walk = (schema: unknown): void => {
			if (typeof schema !== 'object' || schema === null) return;
			for (const [key, value] of Object.entries(schema)) {
				used.add(key);
				if (key === 'properties') Object.values(value as object).forEach(walk);
				else if (key === 'anyOf' || key === 'prefixItems') (value as unknown[]).forEach(walk);
				else if (key === 'items' || key === 'additionalProperties' || key === 'propertyNames') walk(value);
			}
		};
		[...Object.values(generated.client), ...Object.values(generated.daemon)].forEach(walk);
		expect([...used].filter((key) => !known.has(key))).toEqual([]);
	});
});
