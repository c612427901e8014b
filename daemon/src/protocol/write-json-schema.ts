// `npm run schema`: writes the protocol's JSON Schema (json-schema.ts) into the Blender add-on (protocol_v1.json) and
// the Unity bridge (ProtocolSchema.g.cs). Not part of the daemon bundle.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROTOCOL_SCHEMA_CSHARP_FILE, PROTOCOL_SCHEMA_FILE, protocolJsonSchemaText, protocolSchemaCSharpText } from './json-schema';

const outputs: [string, string][] = [
	[PROTOCOL_SCHEMA_FILE, protocolJsonSchemaText()],
	[PROTOCOL_SCHEMA_CSHARP_FILE, protocolSchemaCSharpText()],
];
for (const [name, text] of outputs) {
	const file = path.resolve(__dirname, '../../..', name);
	writeFileSync(file, text);
	console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}
