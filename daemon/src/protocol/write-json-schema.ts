// `npm run schema`: writes protocol_v1.json (json-schema.ts) into the Blender add-on. Not part of the daemon bundle.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROTOCOL_SCHEMA_FILE, protocolJsonSchemaText } from './json-schema';

const file = path.resolve(__dirname, '../../..', PROTOCOL_SCHEMA_FILE);
writeFileSync(file, protocolJsonSchemaText());
console.log(`Wrote ${path.relative(process.cwd(), file)}`);
