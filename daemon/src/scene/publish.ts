// A held scene written out as an asset: its models read once each, one GLB or FBX with the node hierarchy and
// repeated models instanced, published in the content-addressed store like any generated model, so the same
// files can be downloaded (asset.get, HTTP) and pushed to editors.
import { publishAsset, sha256, type AssetRecord, type OutputFile } from '../jobs/assets';
import type { Home } from '../jobs/home';
import { safeName } from '../naming';
import type { ExportProfile } from '../protocol/options';
import { exportSceneFbx, exportSceneGlb } from './export';
import { loadSceneModels } from './models';
import type { HeldScene } from './store';

export type SceneFormat = 'glb' | 'fbx';

export interface ScenePublishOptions {
	formats: SceneFormat[];
	/** Axes, units and names of the FBX (the GLB is always glTF's own). */
	profile: ExportProfile;
	signal?: AbortSignal;
}

/**
 * Exports `scene` and stores the files as one asset; the asset id is the hash of the files, so an unchanged
 * scene exported again is the same asset.
 */
export async function publishScene(home: Home, scene: HeldScene, options: ScenePublishOptions): Promise<AssetRecord> {
	const started = Date.now();
	const models = await loadSceneModels(scene.document, scene.base, home);
	options.signal?.throwIfAborted();
	const input = { document: scene.document, models };
	const name = safeName(scene.document.name);
	const outputs: OutputFile[] = [];
	for (const format of options.formats) {
		const bytes = format === 'glb' ? await exportSceneGlb(input) : exportSceneFbx(input, { profile: options.profile });
		outputs.push({ name: `${name}.${format}`, format, bytes });
		options.signal?.throwIfAborted();
	}
	const assetId = sha256(outputs.map((o) => `${o.name}:${sha256(o.bytes)}`).join('\n'));
	// Totals as a viewer counts them: every object, instances included. Texture size 0: several models, no one size.
	let vertices = 0;
	let triangles = 0;
	for (const { model } of models.values()) {
		vertices += model.lods[0].positions.length / 3;
		triangles += model.lods[0].indices.length / 3;
	}
	return publishAsset(home, assetId, outputs, {
		name,
		stats: { vertices, triangles, textureSize: 0, lods: 1, ms: { export: Date.now() - started } },
		source: { jobId: '', imageSha256: '', model: `scene:${scene.sceneId}@${scene.revision}`, pipelineVersion: 0 },
	});
}
