// What the HTTP routes and WebSocket sessions share: the home folder, the job manager, the logger, the limits
// and the sessions registry, plus the one place a generate request turns into a job.
import type { SceneStore } from '../scene/store';
import type { Home } from '../jobs/home';
import type { Accepted, JobManager } from '../jobs/manager';
import { modelName, safeName } from '../naming';
import type { ProviderChoice } from '../engine/providers';
import type { ModelRegistry } from '../engine/registry';
import { checkSupported, isBuiltinSegmentation } from '../pipeline/supported';
import type { Priority } from '../protocol/messages';
import { OrfeasError } from '../protocol/errors';
import { parseGenerateOptions, type GenerateOptionsInput } from '../protocol/options';
import { checkViewSet, forView, type ExtraView, type ViewName } from '../protocol/views';
import type { GuardConfig } from './guard';
import { loadImage, type ImageRef } from './images';
import type { Logger } from './log';
import type { UserRateLimiter } from './rate';
import type { Authenticator } from './users';

export interface DaemonContext {
	home: Home;
	manager: JobManager;
	registry: ModelRegistry;
	/** The execution provider chosen at start, and why others were not. */
	engine: ProviderChoice;
	/** Opens or closes a model's sessions in every worker; resolves with the ids now loaded. */
	loadModel(action: 'load' | 'unload', modelId: string): Promise<string[]>;
	/** Learned models with sessions open in the workers. */
	loadedModels: Set<string>;
	log: Logger;
	guard: GuardConfig;
	/** Whose token a request or session carries (the discovery token, users and workers). */
	auth: Authenticator;
	/** Message rate per remote user across its connections. */
	userRates: UserRateLimiter;
	startedAt: number;
	keepAliveMs: number;
	/** Daemon-held scene documents (scene.* requests). */
	scenes: SceneStore;
	/** Starts the graceful stop a signal starts (daemon.stop from a local client); `reason` goes to the log. */
	requestStop(reason: string): void;
}

export interface GenerateInput {
	image: ImageRef;
	views?: { view: ExtraView; image: ImageRef }[];
	sheet?: ViewName[];
	options?: GenerateOptionsInput;
	name?: string;
	priority?: Priority;
}

/** Validates options, refuses what this build cannot make, loads the pictures and queues (or serves) the job. */
export async function acceptGenerate(ctx: DaemonContext, input: GenerateInput, inline?: Uint8Array): Promise<Accepted> {
	const options = parseGenerateOptions(input.options ?? {});
	checkViewSet(input.views, input.sheet);
	// A model pulled from the command line while the daemon runs is picked up here.
	if (!ctx.registry.isBuiltin(options.model) || !isBuiltinSegmentation(options.segmentation)) await ctx.registry.refresh();
	checkSupported(options, (id) => ctx.registry.installedKind(id), { views: input.views?.length ?? 0, sheet: Boolean(input.sheet) });
	const bytes = await loadImage(input.image, ctx.home, inline);
	const views = [];
	for (const [i, { view, image }] of (input.views ?? []).entries()) {
		if ('inline' in image) {
			throw new OrfeasError('E_BAD_MESSAGE', `The ${view} view: a binary frame carries one picture, the front. Send the other views by path or upload.`, { field: `views.${i}.image` });
		}
		views.push({ view, bytes: await forView(view, `views.${i}.image`, () => loadImage(image, ctx.home, undefined)) });
	}
	const name = input.name !== undefined ? safeName(input.name) : 'path' in input.image ? modelName(input.image.path) : 'model';
	return ctx.manager.submitGenerate({ bytes, views, sheet: input.sheet, name, options, priority: input.priority ?? 'normal' });
}
