// The export step shared by the CLI, the generator and the daemon's export jobs: LOD chain, collider, then
// one writer per format, with progress and cancellation between steps. Files come back tagged with their own
// format (the model formats plus the MTL and textures written beside an OBJ or PLY).
import type { StageContext } from '../pipeline/types';
import { OrfeasError } from '../protocol/errors';
import type { Collider, ExportFormat, ExportProfile, FileFormat } from '../protocol/options';
import { addCollider } from './collider';
import { safeName } from '../naming';
import { FBX_DEFAULTS, writeFbx } from './fbx/writer';
import { writeSceneGlb } from './glb-scene';
import { lodChain, LOD_DEFAULTS } from './lod';
import { writeObj } from './obj';
import { writePly } from './ply';
import { PROFILES } from './profiles';
import { validateScene, type ExportFile, type ExportScene } from './scene';
import { writeStl } from './stl';
import { equalBytes } from './textures';

export const NAME = 'export';

export interface ExportOptions {
	formats: ExportFormat[];
	profile: ExportProfile;
	/** LOD ratios, decreasing (e.g. [1, 0.5, 0.25]); empty for the mesh alone. */
	lods: number[];
	/** Largest deviation of an LOD level, as a fraction of the mesh's extent. */
	lodError: number;
	collider: Collider;
	/** Deflate FBX arrays: smaller files, slower writing (see FbxOptions.compress). */
	fbxCompress: boolean;
}

export const EXPORT_DEFAULTS: Readonly<Omit<ExportOptions, 'formats'>> = {
	profile: 'generic',
	lods: [],
	lodError: LOD_DEFAULTS.error,
	collider: 'none',
	fbxCompress: FBX_DEFAULTS.compress,
};

export interface ExportedFile extends ExportFile {
	format: FileFormat;
}

export interface ExportResult {
	files: ExportedFile[];
	/** Triangles per LOD level, LOD0 first. */
	triangles: number[];
	/** Triangles of the collider, when one was made. */
	colliderTriangles?: number;
}

type Writer = (scene: ExportScene, options: ExportOptions) => ExportFile[] | Promise<ExportFile[]>;

const WRITERS: Readonly<Record<ExportFormat, Writer>> = {
	glb: (scene, { profile }) => writeSceneGlb(scene, { profile }),
	fbx: (scene, { profile, fbxCompress }) => [{ name: `${safeName(scene.name)}.fbx`, bytes: writeFbx(scene, { profile: PROFILES[profile], compress: fbxCompress }) }],
	obj: (scene, { profile }) => writeObj(scene, { profile: PROFILES[profile] }),
	stl: (scene, { profile }) => writeStl(scene, { profile: PROFILES[profile] }),
	ply: (scene, { profile }) => writePly(scene, { profile: PROFILES[profile] }),
};

const EXTENSIONS: Readonly<Record<string, FileFormat>> = { glb: 'glb', fbx: 'fbx', obj: 'obj', stl: 'stl', ply: 'ply', mtl: 'mtl', png: 'png', jpg: 'jpeg', jpeg: 'jpeg' };

/**
 * Exports a scene (its LOD0 is the full mesh) to every format asked for. Steps report progress through
 * `ctx` and stop at the next step once it is cancelled.
 *
 * ```ts
 * const { files } = await exportScene(scene, { formats: ['fbx'], profile: 'unity', lods: [1, 0.5, 0.25], collider: 'hull' });
 * ```
 */
export async function exportScene(scene: ExportScene, options: Partial<ExportOptions> & Pick<ExportOptions, 'formats'>, ctx?: StageContext): Promise<ExportResult> {
	const all: ExportOptions = { ...EXPORT_DEFAULTS, ...options };
	const { formats, lods, lodError, collider } = all;
	if (formats.length === 0) throw new OrfeasError('E_EXPORT', 'No export format was given; choose one or more of glb, fbx, obj, stl, ply.');
	validateScene(scene);
	const steps = 2 + formats.length;
	let step = 0;
	const advance = (message: string) => {
		ctx?.signal.throwIfAborted();
		ctx?.progress(step++ / steps, message);
	};

	advance(lods.length > 1 ? `LOD chain ${lods.join(', ')}` : 'LOD0');
	let ready = await lodChain(scene, { ratios: lods, error: lodError }, ctx?.signal);
	advance(collider === 'none' ? 'no collider' : `${collider} collider`);
	if (collider !== 'none') ready = await addCollider(ready, { kind: collider });

	const files = new Map<string, ExportedFile>();
	for (const format of [...new Set(formats)]) {
		advance(`writing ${format.toUpperCase()}`);
		for (const file of await WRITERS[format](ready, all)) {
			const existing = files.get(file.name);
			// Two formats may write the same texture beside themselves: one copy is enough.
			if (existing && !equalBytes(existing.bytes, file.bytes)) throw new OrfeasError('E_INTERNAL', `Two exports wrote different files named ${file.name}.`);
			files.set(file.name, { ...file, format: fileFormat(file.name) });
		}
	}
	ctx?.progress(1);
	return {
		files: [...files.values()],
		triangles: ready.lods.map((mesh) => mesh.indices.length / 3),
		...(ready.collider ? { colliderTriangles: ready.collider.mesh.indices.length / 3 } : {}),
	};
}

export function fileFormat(name: string): FileFormat {
	const format = EXTENSIONS[name.slice(name.lastIndexOf('.') + 1).toLowerCase()];
	if (!format) throw new OrfeasError('E_INTERNAL', `An export wrote ${name}, a file of no known format.`);
	return format;
}
