// The one interface a kind of generation server is behind: check it answers, send it a picture, ask how the job
// is going, and say in which frame its models come back. A next server kind (TRELLIS, a ComfyUI workflow) is one
// more file beside hunyuan3d.ts and one more entry in SERVERS.
import type { Backend } from '../../engine/backends';
import type { GenerateOptions } from '../../protocol/options';
import type { ServerFrame } from './cleanup';

/** Where a job on the server stands. */
export type ServerStatus =
	| { phase: 'shape' }
	| { phase: 'texture' }
	| { phase: 'done'; glb: Uint8Array }
	| { phase: 'failed'; message: string };

export interface GenerationServer {
	/** The name people know the server by, for messages. */
	readonly title: string;
	/** Which of its model's axes point to the picture's right, up and toward the camera. */
	readonly frame: ServerFrame;
	/** Resolves with a line on the server's state when it answers; rejects with E_BACKEND_UNREACHABLE or E_BACKEND. */
	health(backend: Backend): Promise<string>;
	/** Sends the picture (PNG, the subject cut out on transparency) and the options; resolves with the server's job id. */
	submit(backend: Backend, picture: Uint8Array, options: GenerateOptions): Promise<string>;
	status(backend: Backend, job: string): Promise<ServerStatus>;
}
