// The rows of `npm run eval:shape`: each method turns the five pictures of one mesh into a mesh, which run.ts
// scores against the ground truth. Adding a row is adding one entry to METHODS.
//
// A method gets the pictures (`views.front.png` the PNG bytes, `.path` where it lies under out/eval-shape/<mesh>/,
// `.image` the decoded RGBA) and the truth. Product rows read only the pictures and `truth.name`; only rows
// marked `oracle: true` may read the rest of `truth` (the true mesh and the render frame), and the tables flag
// them. The returned mesh may be in any position and scale: the protocol normalises every mesh the same way.
//
// Pipeline rows are made with `pipelineMethod(name, options, input)`: `options` are generate options as the CLI
// takes them (`{ thickness: 0.5 }`), `input` builds the pipeline's input from the pictures (the front picture alone
// by default); the multi-view rows pass the other pictures as GenerateInput.views (daemon/src/generators/run.ts).
//
// The view names and conventions here (views.ts) are the protocol's. The generated GLB of every
// pipeline row is kept beside the pictures as <row>.glb.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadGlb } from '../../../daemon/src/export/load-glb';
import { bounds } from '../../../daemon/src/geometry/place';
import { runPipeline, type GenerateInput } from '../../../daemon/src/generators/run';
import { loadRuntime } from '../../../daemon/src/generators/runtime';
import type { RgbaImage } from '../../../daemon/src/pipeline/types';
import { parseGenerateOptions, type GenerateOptionsInput } from '../../../daemon/src/protocol/options';
import { carve, silhouetteOf } from './carve';
import type { TriangleMesh } from './mesh';
import type { ViewFrame, ViewName } from './views';

export interface ViewPicture {
	/** The PNG file's bytes, as a user would hand it to the CLI. */
	png: Uint8Array;
	/** Where the PNG was written. */
	path: string;
	image: RgbaImage;
}

export type ViewPictures = Readonly<Record<ViewName, ViewPicture>>;

/** What is known about the subject. Product rows read `name` only; oracle rows may read everything. */
export interface Truth {
	name: string;
	/** The ground-truth surface, welded, in its file's own coordinates (the frame's). */
	mesh: TriangleMesh;
	/** How the pictures were drawn: centre and pixels per unit, shared by every view. */
	frame: ViewFrame;
}

export interface Method {
	name: string;
	/** Reads the truth beyond the pictures: a reference point for the table, not something the product can do. */
	oracle?: boolean;
	generate(views: ViewPictures, truth: Truth): Promise<TriangleMesh>;
}

/** Builds the pipeline's input from the pictures; `name` names the model's node and material. */
export type PipelineInput = (views: ViewPictures, name: string) => GenerateInput;

const frontOnly: PipelineInput = (views, name) => ({ bytes: views.front.png, name });

/** A row that runs the project's pipeline with `options` over the input `input` builds. */
export function pipelineMethod(name: string, options: GenerateOptionsInput = {}, input: PipelineInput = frontOnly): Method {
	const parsed = parseGenerateOptions(options);
	return {
		name,
		async generate(views, truth) {
			const result = await runPipeline(input(views, truth.name), parsed, await loadRuntime(), {});
			await writeFile(path.join(path.dirname(views.front.path), `${fileSlug(name)}.glb`), result.glb);
			const mesh = (await loadGlb(result.glb, { name: truth.name })).lods[0];
			return { positions: mesh.positions, indices: mesh.indices };
		},
	};
}

/** Grid cells along each axis of the ground truth's box for the carved oracles. */
export const CARVE_CELLS = 128;

/** The front silhouette extruded over the true depth: the best a flat-slab guess from the front could be. */
export const extrudeTrueDepth: Method = {
	name: 'extrude-true-depth',
	oracle: true,
	async generate(views, truth) {
		const box = bounds(truth.mesh.positions);
		const center = (box.min[2] + box.max[2]) / 2;
		const half = (box.max[2] - box.min[2]) / 2;
		return carve([silhouetteOf('front', views.front.image)], truth.frame, {
			box,
			cells: CARVE_CELLS,
			limit: (_x, _y, z) => Math.abs(z - center) - half,
		});
	},
};

/** The visual hull of three true silhouettes: roughly what a good three-view method can reach. */
export const hullFrontRightTop: Method = {
	name: 'hull-3-128',
	oracle: true,
	async generate(views, truth) {
		const silhouettes = (['front', 'right', 'top'] as const).map((view) => silhouetteOf(view, views[view].image));
		return carve(silhouettes, truth.frame, { box: bounds(truth.mesh.positions), cells: CARVE_CELLS });
	},
};

/** The rows, in table order. */
export const METHODS: readonly Method[] = [
	pipelineMethod('front'),
	pipelineMethod('front, thickness 0.5', { thickness: 0.5 }),
	pipelineMethod('front+right+top', {}, (v, name) => ({ bytes: v.front.png, name, views: [{ view: 'right', bytes: v.right.png }, { view: 'top', bytes: v.top.png }] })),
	pipelineMethod('front+right+top+back', {}, (v, name) => ({
		bytes: v.front.png,
		name,
		views: [{ view: 'right', bytes: v.right.png }, { view: 'top', bytes: v.top.png }, { view: 'back', bytes: v.back.png }],
	})),
	extrudeTrueDepth,
	hullFrontRightTop,
];

/** A method name as a file name: `front, thickness 0.5` → `front-thickness-0-5`. */
export function fileSlug(name: string): string {
	return name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'method';
}
