// The `orfeas` command line. Each command lives in its own file; this one wires flags to them and turns
// failures into a sentence and an exit code (never a stack trace, unless ORFEAS_DEBUG is set).
import { Command, InvalidArgumentError, Option } from 'commander';
import { PROVIDER_PREFERENCES } from '../engine/providers';
import { OrfeasError, toOrfeasError } from '../protocol/errors';
import { checkViewSet, EXTRA_VIEWS, VIEW_NAMES, type ExtraView, type ViewName } from '../protocol/views';
import { COLLIDERS, EXPORT_FORMATS, EXPORT_PROFILES, GENERATE_BOUNDS, GENERATE_DEFAULTS, LOD_ERROR_DEFAULT, LodRatios, SEGMENTATION_MODES, type ExportFormat } from '../protocol/options';
import { defaultCpuJobs } from '../jobs/cores';
import { VERSION } from '../version';

// Each command's code loads when that command runs (the bundle initialises a module on first import), so a
// quick command such as `export` or `--version` does not pay for the daemon's server or the image pipeline.
const commands = {
	worker: () => import('./worker'),
	backends: () => import('./backends'),
	daemon: () => import('./daemon'),
	doctor: () => import('./doctor'),
	export: () => import('./export'),
	generate: () => import('./generate'),
	models: () => import('./models'),
	status: () => import('./status'),
	stop: () => import('./stop'),
	users: () => import('./users'),
};


const MODEL_EXTENSIONS = EXPORT_FORMATS.map((f) => `.${f}`).join(', ');

/** How `-o` reads, said once for both commands that write models (outputs.ts implements it). */
const OUT_HELP = `
-o FILE, for one input, names the model file; its extension picks the format
when --format is left out. Files that go with it (the GLB, MTL, textures, one
STL or PLY per LOD level and collider) are written beside it under its name:
-o out/crate.obj writes out/crate.obj, out/crate.mtl and the texture. An
existing folder, or a path ending in /, is a folder.
`;

/** How several views are given, said in `generate --help`. */
const VIEWS_HELP = `
Several views of one object: the front as the image, the others with --back,
--left, --right and --top (named by where the camera stands, the object's
front toward you in the front view), or one turnaround sheet with --sheet and
--sheet-views front,right,back (views left to right, plain background between).
`;

/** The views `generate` was given: a front image with others beside it, or a sheet instead of images. */
function viewFlags(images: string[], flags: Record<string, unknown>): { images: string[]; views?: { view: ExtraView; path: string }[]; sheet?: ViewName[] } {
	const views = EXTRA_VIEWS.filter((view) => typeof flags[view] === 'string').map((view) => ({ view, path: flags[view] as string }));
	const sheetViews = flags.sheetViews as ViewName[] | undefined;
	if (typeof flags.sheet === 'string') {
		if (images.length > 0 || views.length > 0) {
			throw new OrfeasError('E_BAD_MESSAGE', '--sheet holds every view: give no other images and no --back/--left/--right/--top with it.');
		}
		if (!sheetViews) throw new OrfeasError('E_BAD_MESSAGE', "--sheet needs --sheet-views: the sheet's views left to right, e.g. --sheet-views front,right,back.");
		checkViewSet(undefined, sheetViews);
		return { images: [flags.sheet], sheet: sheetViews };
	}
	if (sheetViews) throw new OrfeasError('E_BAD_MESSAGE', '--sheet-views goes with --sheet SHEET.png.');
	if (views.length === 0) return { images };
	if (images.length !== 1) {
		throw new OrfeasError('E_BAD_MESSAGE', `--${views.map((v) => v.view).join('/--')} ${views.length === 1 ? 'is another view' : 'are other views'} of one object: give exactly one front image with ${views.length === 1 ? 'it' : 'them'} (got ${images.length}).`);
	}
	return { images, views };
}

function viewList(value: string): ViewName[] {
	const views = value.split(',').map((v) => v.trim().toLowerCase());
	const unknown = views.filter((v) => !(VIEW_NAMES as readonly string[]).includes(v));
	if (unknown.length > 0) throw new InvalidArgumentError(`unknown view ${unknown.join(', ')}; use ${VIEW_NAMES.join(', ')}.`);
	if (views.length < 2) throw new InvalidArgumentError('a sheet holds at least two views, e.g. front,right.');
	return views as ViewName[];
}

/** Exit code for usage errors (bad flags or values), as most command-line tools do. */
const EXIT_USAGE = 2;

function integer(name: keyof typeof GENERATE_BOUNDS) {
	return (value: string) => bounded(name, value, true);
}

function decimal(name: keyof typeof GENERATE_BOUNDS) {
	return (value: string) => bounded(name, value, false);
}

function formatList(value: string): ExportFormat[] {
	const formats = value.split(',').map((f) => f.trim().toLowerCase());
	const unknown = formats.filter((f) => !(EXPORT_FORMATS as readonly string[]).includes(f));
	if (unknown.length > 0) throw new InvalidArgumentError(`unknown format ${unknown.join(', ')}; use ${EXPORT_FORMATS.join(', ')}.`);
	return formats as ExportFormat[];
}

function lodList(value: string): number[] {
	const ratios = value.split(',').map((r) => Number(r.trim()));
	const parsed = LodRatios.safeParse(ratios);
	if (!parsed.success || ratios.length === 0) throw new InvalidArgumentError('expected decreasing ratios above 0 and at most 1, e.g. 1,0.5,0.25.');
	return parsed.data;
}

function lodError(value: string): number {
	const n = Number(value);
	if (!(n > 0 && n <= 1)) throw new InvalidArgumentError('expected a fraction of the model size above 0 and at most 1, e.g. 0.01.');
	return n;
}

/** The export flags `generate` and `export` share. */
function exportFlags(command: Command, defaultFormats: string): Command {
	return command
		.option('--format <list>', `formats, comma-separated: ${EXPORT_FORMATS.join(', ')} (default: ${defaultFormats})`, formatList)
		.addOption(new Option('--profile <engine>', 'engine profile: axes, units, LOD and collider names').choices([...EXPORT_PROFILES]).default(GENERATE_DEFAULTS.profile))
		.option('--lods <ratios>', 'LOD chain as triangle ratios, e.g. 1,0.5,0.25', lodList, [] as number[])
		.addOption(new Option('--collider <kind>', 'collision mesh: a convex hull or a simplified copy').choices([...COLLIDERS]).default(GENERATE_DEFAULTS.collider));
}

function bounded(name: keyof typeof GENERATE_BOUNDS, value: string, whole: boolean): number {
	const n = Number(value);
	const { min, max } = GENERATE_BOUNDS[name];
	if (!Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < min || n > max) {
		throw new InvalidArgumentError(`expected ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}.`);
	}
	return n;
}

export function buildProgram(): Command {
	const program = new Command('orfeas')
		.description('Orfeas: one picture in, a textured, watertight, game-ready 3D model out.')
		.version(VERSION)
		.showHelpAfterError('(run with --help for usage)')
		.exitOverride();
	const d = GENERATE_DEFAULTS;
	const generate = program
		.command('generate')
		.description('Turn images into GLB models. With no image, uses the built-in sample picture.')
		.argument('[images...]', 'PNG, JPEG, WebP, GIF, TIFF or AVIF files')
		.option('-o, --out <path>', `output folder, or a model file (${MODEL_EXTENSIONS}) for one image (default: beside each image)`)
		.option('--resolution <n>', `geometry grid cells along the subject's longer side`, integer('resolution'), d.resolution)
		.option('--texture-size <n>', 'edge of the square texture in pixels', integer('textureSize'), d.textureSize)
		.option('--height <m>', 'model height in metres', decimal('height'), d.height)
		.option('--thickness <t>', 'depth, 0–1 (1 makes a disc a sphere)', decimal('thickness'), d.thickness)
		.option('--max-triangles <n>', 'triangle budget', integer('maxTriangles'), d.maxTriangles)
		.option('--segmentation <mode>', `how to find the subject: ${SEGMENTATION_MODES.join(', ')}, or a segmentation model id`, d.segmentation)
		.option('--model <id>', 'shape model: builtin:inflate, or an installed depth or implicit model', d.model)
		.option('--home <dir>', 'data folder with installed models (default: $ORFEAS_HOME or ~/.orfeas)')
		.option('--back <image>', 'the same object from behind (with one front image)')
		.option('--left <image>', "the same object from its left side, its front on the right of the picture")
		.option('--right <image>', "the same object from its right side, its front on the left of the picture")
		.option('--top <image>', "the same object from above, its front at the bottom of the picture")
		.option('--sheet <image>', 'a turnaround sheet: several views side by side on one background (instead of images)')
		.option('--sheet-views <list>', `the sheet's views left to right, e.g. front,right,back (${VIEW_NAMES.join(', ')})`, viewList)
		.option('--json', 'print one JSON line per image instead of text')
		.option('-f, --force', 'replace existing output files');
	exportFlags(generate, 'glb').addHelpText('after', OUT_HELP + VIEWS_HELP).action(async (images: string[], flags) => {
			const pictures = viewFlags(images, flags);
			process.exitCode = await (await commands.generate()).generateCommand(pictures.images, {
				views: pictures.views,
				sheet: pictures.sheet,
				out: flags.out,
				json: flags.json,
				force: flags.force,
				home: flags.home,
				options: {
					resolution: flags.resolution,
					textureSize: flags.textureSize,
					height: flags.height,
					thickness: flags.thickness,
					maxTriangles: flags.maxTriangles,
					segmentation: flags.segmentation,
					model: flags.model,
					formats: flags.format,
					profile: flags.profile,
					lods: flags.lods,
					collider: flags.collider,
				},
			});
		});
	const exporter = program
		.command('export')
		.description('Convert GLB or OBJ models (OBJ with its MTL and textures) to FBX, GLB, OBJ, STL or PLY, with LODs, a collider and an engine profile.')
		.argument('<models...>', '.glb or .obj files')
		.option('-o, --out <path>', `output folder, or a model file (${MODEL_EXTENSIONS}) for one model (default: beside each model)`)
		.option('--texture <image>', 'base-colour texture for an OBJ without an MTL')
		.option('--fbx-compress', 'deflate FBX arrays: files about 2.5× smaller, written more slowly')
		.option('--lod-error <fraction>', `largest deviation of an LOD level, as a fraction of the model size`, lodError, LOD_ERROR_DEFAULT)
		.option('--json', 'print one JSON line per model instead of text')
		.option('-f, --force', 'replace existing output files');
	exportFlags(exporter, "the profile's: glb, or fbx for unity and unreal").addHelpText('after', OUT_HELP).action(async (inputs: string[], flags) => {
		process.exitCode = await (await commands.export()).exportCommand(inputs, {
			formats: flags.format,
			profile: flags.profile,
			lods: flags.lods,
			lodError: flags.lodError,
			collider: flags.collider,
			fbxCompress: flags.fbxCompress,
			texture: flags.texture,
			out: flags.out,
			force: flags.force,
			json: flags.json,
		});
	});
	program
		.command('daemon')
		.description('Run the Orfeas daemon in the foreground (editors and scripts connect to it).')
		.option('--port <n>', 'TCP port; 0 picks a free one', port, 7878)
		.option('--bind <address>', 'address to listen on; another than 127.0.0.1 lets other machines in, and needs TLS and user tokens', '127.0.0.1')
		.option('--server-name <name>', "with --bind: the name other machines use, accepted in the Host header (default: this machine's host name)", serverName)
		.option('--tls-cert <file>', 'serve HTTPS and WSS with this PEM certificate (chain)')
		.option('--tls-key <file>', 'the PEM private key of --tls-cert')
		.addOption(new Option('--tls-self-signed', 'serve HTTPS and WSS with a self-signed certificate kept in the home folder (clients pin its fingerprint)').conflicts(['tlsCert', 'tlsKey']))
		.option('--user-rate <n>', 'messages a second one remote user may send over all its connections', wholeNumber(1, 100_000), 200)
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.option('--cpu-jobs <n>', `jobs run at once on the CPU (default: ${defaultCpuJobs()})`, count)
		.option('--gpu-jobs <n>', 'jobs run at once on the GPU', count, 1)
		.option('--remote-jobs <n>', 'jobs run at once on generation servers (orfeas backends)', count, 2)
		.option('--queue <redis-url>', 'team server: keep the job queue in Redis (redis://HOST:PORT/DB); orfeas worker processes run the jobs')
		.option('--allow-origin <origin...>', 'browser origins allowed to connect (default: none)')
		.addOption(new Option('--providers <p>', 'execution providers for learned models').choices([...PROVIDER_PREFERENCES]).default('auto'))
		.option('--webgpu', 'let auto try WebGPU (experimental)')
		.option('--catalogue <dir>', 'folder of model manifests to offer for pulling (default: the ones shipped with Orfeas)')
		.action(async (flags) => {
			await (await commands.daemon()).daemonCommand({
				port: flags.port,
				bind: flags.bind,
				serverName: flags.serverName,
				tlsCert: flags.tlsCert,
				tlsKey: flags.tlsKey,
				tlsSelfSigned: flags.tlsSelfSigned,
				userRate: flags.userRate,
				home: flags.home,
				cpuJobs: flags.cpuJobs,
				gpuJobs: flags.gpuJobs,
				remoteJobs: flags.remoteJobs,
				queue: flags.queue,
				allowOrigin: flags.allowOrigin,
				providers: flags.providers,
				webgpu: flags.webgpu,
				catalogue: flags.catalogue,
			});
		});
	program
		.command('status')
		.description('Tell whether a daemon is running, where, and how busy it is.')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.option('--json', 'print the status as JSON')
		.action(async (flags) => {
			process.exitCode = await (await commands.status()).statusCommand(flags);
		});
	program
		.command('stop')
		.description('Stop the daemon gracefully (running jobs finish or go back to the queue) and wait until it has ended.')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.option('--timeout <s>', 'seconds to wait for it to end', wholeNumber(1, 3600), 60)
		.option('--json', 'print the outcome as JSON')
		.action(async (flags) => {
			process.exitCode = await (await commands.stop()).stopCommand(flags);
		});
	const models = program.command('models').description('List, inspect, download and remove learned models.');
	models
		.command('list')
		.description('Built-in, installed and downloadable models.')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.option('--json', 'print as JSON')
		.action(async (flags) => {
			process.exitCode = await (await commands.models()).modelsList(flags);
		});
	models
		.command('info')
		.argument('<id>', 'model id')
		.description("A model's kind, files, licence and source.")
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.option('--json', 'print as JSON')
		.action(async (id: string, flags) => {
			process.exitCode = await (await commands.models()).modelsInfo(id, flags);
		});
	models
		.command('pull')
		.argument('<id>', 'model id')
		.description('Download and install a model (resumes an interrupted download; checks sizes and checksums).')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.option('--accept-licence', 'accept a licence that restricts use (read it first: orfeas models info <id>)')
		.action(async (id: string, flags) => {
			process.exitCode = await (await commands.models()).modelsPull(id, flags);
		});
	models
		.command('rm')
		.argument('<id>', 'model id')
		.description('Remove an installed model (and any unfinished download).')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.action(async (id: string, flags) => {
			process.exitCode = await (await commands.models()).modelsRemove(id, flags);
		});
	program
		.command('worker')
		.description('Run jobs for a team-server gateway: take them from its Redis queue, fetch inputs and return results over HTTP.')
		.requiredOption('--queue <redis-url>', "the gateway's Redis, e.g. redis://queue-box:6379/0")
		.requiredOption('--server <url>', 'the gateway daemon, e.g. https://gateway:7878')
		.option('--token <token>', 'a worker token from the gateway (orfeas users add NAME --worker); or ORFEAS_WORKER_TOKEN')
		.option('--fingerprint <sha256>', "the gateway certificate's SHA-256 fingerprint, to pin a self-signed one")
		.option('--cpu-jobs <n>', `jobs run at once here (default: ${defaultCpuJobs()})`, count)
		.option('--lock-ms <ms>', 'how long a worker that stopped answering keeps its job before another takes it (default 10000)', lockMs)
		.option('--home <dir>', 'data folder for installed models and the log (default: $ORFEAS_HOME or ~/.orfeas)')
		.action(async (flags) => {
			await (await commands.worker()).workerCommand(flags);
		});
	const backends = program.command('backends').description('Generation servers (Hunyuan3D) to use as models: add, list, test, remove.');
	backends
		.command('add')
		.argument('<name>', 'the name to use as --model')
		.description("Add a generation server; its name then works as a model everywhere (CLI, VS Code, Blender, Unity).")
		.requiredOption('--kind <kind>', 'the server kind: hunyuan3d (Hunyuan3D-2.1 or 2.0 api_server.py)')
		.requiredOption('--url <url>', 'the server address, e.g. http://gpu-box:8081')
		.option('--texture', 'ask for the textured model (slower; needs more GPU memory on the server)')
		.option('--steps <n>', 'inference steps the server runs', count200)
		.option('--octree <n>', 'octree resolution of the server\'s surface', octree)
		.option('--seed <n>', 'the server\'s random seed', seed)
		.option('--timeout <s>', 'seconds a job may take on the server before it fails (default 900)', seconds)
		.option('--max-reply-mb <n>', 'largest reply accepted from the server, in MiB (default 256)', megabytes)
		.option('--replace', 'replace a backend of the same name')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.action(async (name: string, flags) => {
			process.exitCode = await (await commands.backends()).backendsAdd(name, flags);
		});
	backends
		.command('list')
		.description('The generation servers added, with their last check.')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.option('--json', 'print as JSON')
		.action(async (flags) => {
			process.exitCode = await (await commands.backends()).backendsList(flags);
		});
	backends
		.command('test')
		.argument('<name>', 'backend name')
		.description('Ask a generation server whether it answers, and remember the answer.')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.action(async (name: string, flags) => {
			process.exitCode = await (await commands.backends()).backendsTest(name, flags);
		});
	backends
		.command('rm')
		.argument('<name>', 'backend name')
		.description('Remove a generation server.')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.action(async (name: string, flags) => {
			process.exitCode = await (await commands.backends()).backendsRemove(name, flags);
		});
	const users = program.command('users').description('Tokens for other machines reaching a team server (orfeas daemon --bind): editors and workers.');
	users
		.command('add')
		.argument('<name>', 'who the token is for')
		.description('Make a token and print it, once: only its hash is kept.')
		.option('--worker', 'a worker token (worker routes only) instead of an editor token')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.action(async (name: string, flags) => {
			process.exitCode = await (await commands.users()).usersAdd(name, flags);
		});
	users
		.command('list')
		.description('Names, roles, when made, and whether revoked (never the tokens).')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.option('--json', 'print as JSON')
		.action(async (flags) => {
			process.exitCode = await (await commands.users()).usersList(flags);
		});
	users
		.command('revoke')
		.argument('<name>', 'user or worker name')
		.description('Revoke a token; a running daemon refuses it from its next request.')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.action(async (name: string, flags) => {
			process.exitCode = await (await commands.users()).usersRevoke(name, flags);
		});
	program
		.command('doctor')
		.description('Check what Orfeas needs on this machine and say how to fix what is missing.')
		.option('--home <dir>', 'data folder (default: $ORFEAS_HOME or ~/.orfeas)')
		.option('--json', 'print the checks as JSON')
		.action(async (flags) => {
			process.exitCode = await (await commands.doctor()).doctorCommand(flags);
		});
	return program;
}

function port(value: string): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535.');
	return n;
}

/** A whole number within [min, max], for a flag. */
function wholeNumber(min: number, max: number): (value: string) => number {
	return (value) => {
		const n = Number(value);
		if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
		return n;
	};
}
const count = wholeNumber(1, 64);
const lockMs = wholeNumber(1000, 600_000);

function serverName(value: string): string {
	if (!/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value)) {
		throw new InvalidArgumentError('expected a host name such as gpu-box or orfeas.example.com.');
	}
	return value.toLowerCase();
}
const count200 = wholeNumber(1, 200);
const octree = wholeNumber(16, 1024);
const seed = wholeNumber(0, 2 ** 31 - 1);
const seconds = wholeNumber(10, 24 * 3600);

function megabytes(value: string): number {
	const n = Number(value);
	if (!(n >= 0.01 && n <= 4096)) throw new InvalidArgumentError('expected a size in MiB from 0.01 to 4096.');
	return n;
}


export async function main(argv: string[]): Promise<void> {
	try {
		await buildProgram().parseAsync(argv);
	} catch (error) {
		const code = (error as { code?: string }).code;
		if (typeof code === 'string' && code.startsWith('commander.')) {
			// Commander has printed its message (or the help/version) already.
			process.exitCode = code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : EXIT_USAGE;
			return;
		}
		const e = toOrfeasError(error);
		if (e.code === 'E_INTERNAL' && process.env.ORFEAS_DEBUG) console.error(error);
		process.stderr.write(`orfeas: ${e.message} [${e.code}]\n`);
		process.exitCode = e.code === 'E_BAD_MESSAGE' || e.code === 'E_PATH' ? EXIT_USAGE : 1;
	}
}
