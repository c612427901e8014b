// The kinds of generation server Orfeas speaks, by the `kind` a backend is added with. A next kind (TRELLIS, a
// ComfyUI workflow) is one more file implementing GenerationServer (kind.ts) and one more entry here.
import type { BackendKind } from '../../engine/backends';
import { hunyuan3d } from './hunyuan3d';
import type { GenerationServer } from './kind';

export type { GenerationServer, ServerStatus } from './kind';

export const SERVERS: Record<BackendKind, GenerationServer> = { hunyuan3d };
