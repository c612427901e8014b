// Imported first by main.ts, before any schema exists: zod compiles object parsers with `new Function` unless told
// not to, and even its probe for that is reported as a violation of the webview's CSP (no 'unsafe-eval').
// Zod decides when each schema is built, so this has to run before messages.ts is evaluated.
import { config } from 'zod';

config({ jitless: true });
