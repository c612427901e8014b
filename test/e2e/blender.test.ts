// The Blender add-on in real headless Blender (Debian's 3.4) against a real daemon: the zip from
// `npm run package` installed and enabled; a home without a daemon gives a clear message at once; Connect,
// Generate, and the add-on's timer driven until the model sits at the 3D cursor with the job's vertex count and
// a height of 1 m; then a model pushed the way VS Code pushes it (the extension's own client) is imported, a
// scene pushed from the daemon arrives with every object at its document position, and a box is generated from
// its front, right and top pictures (and from a sheet) through the panel's settings, deep as its side view says,
// where its front picture alone gives a thin model. Last, a team server (a second daemon, --tls-self-signed, with a
// user from `orfeas users add`) set in the add-on's preferences: a wrong pin refused in words, the right one
// connected, a model generated from a picture the server could not have read by path; the token in a 0600 file,
// not in userpref.blend.
// blender_bridge.py does the Blender side and prints what it saw. Then Blender with its window (under Xvfb), where
// timers, modal operators and undo are real (blender_gui.py): Generate invoked as the button does, the add-on's own
// timer importing the model, and one undo taking the whole import away (one redo bringing it back).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSceneGlb } from '../../daemon/src/export/glb-scene';
import type { SceneDocumentView } from '../../daemon/src/protocol/scene';
import { worldMatrices } from '../../daemon/src/scene/transform';
import { DaemonClient, type DaemonEvent } from '../../extension/src/daemon/client';
import { texturedBoxScene, texturedSphereScene } from '../helpers/export-scenes';
import { orfeas, ROOT } from '../helpers/cli';
import { Home } from '../../daemon/src/jobs/home';
import { ellipsoidTriplane, ELLIPSOID_TRIPLANE_DEFAULTS } from '../../models/testing/models';
import { startDaemon, tempHome, type TestDaemon } from '../helpers/daemon';
import { installTestModel } from '../helpers/models';
import { hunyuan3d } from '../../daemon/src/generators/remote/hunyuan3d';
import { startStandIn, type StandIn } from '../helpers/hunyuan3d';
import { BOX as SERVER_BOX, serverBox } from '../helpers/server-models';
import { requireProgram } from '../helpers/external';
import { distinctPicture } from '../helpers/pictures';

const SCRIPT = path.join(__dirname, 'blender_bridge.py');
const TRIPLANE_MODEL = 'egg-triplane';
const REMOTE_MODEL = 'hunyuan-box';
const GUI_SCRIPT = path.join(__dirname, 'blender_gui.py');
const ZIP = path.join(ROOT, 'dist', 'orfeas_bridge.zip');
const BEGIN = '@@ORFEAS-BRIDGE-REPORT-BEGIN@@';
const END = '@@ORFEAS-BRIDGE-REPORT-END@@';

interface Seen {
	name: string;
	type: string;
	vertices: number;
	height: number;
	bottom: number;
	location: number[];
	parent: string | null;
	collections: string[];
	selected: boolean;
	active: boolean;
	packedImages: boolean[];
}

interface Report {
	error?: string;
	steps: string[];
	enabled: { version: string; panel: boolean };
	noDaemon: { connectError: string | null; generateError: string | null; seconds: number; panelMessage: string; panel: string[] };
	connected: { message: string; resolution: number; defaults: number; roles: string[] };
	generated: {
		jobId: string;
		stats: { vertices: number };
		object: Seen;
		cursor: number[];
		collection: string[];
		empties: string[];
		runningPanel: string[];
		donePanel: string[];
	};
	pushed: { object: Seen; notice: string; collection: string[] };
	scene: { notice: string; objects: { name: string; parent: string | null; location: number[]; mesh: string | null; vertices: number; collections: string[] }[] };
	views: ViewsReport;
	triplane: { offered: string[]; model: string; generated: Generated };
	remote: { offered: string[]; model: string; generated: Generated };
	team: {
		wrongPin: { message: string; panel: string[] };
		connected: string;
		tokenFile: { mode: string; holdsToken: boolean; folder: boolean };
		userpref: { url: boolean; token: boolean };
		tokenShown: boolean;
		generated: Generated;
	};
	disabled: { connection: boolean };
}

interface Generated {
	jobId: string;
	name: string;
	stats: { vertices: number; views?: Record<string, number> };
	object: Seen & { extent: number[] };
}

interface ViewsReport {
	panel: string[];
	sheetPanel: string[];
	badSheet: string | null;
	donePanel: string[];
	multi: Generated;
	single: Generated;
	sheet: Generated;
}

interface GuiReport {
	error?: string;
	steps: string[];
	before: string[];
	invoked: string[];
	imported: { location: number[]; active: boolean; objects: string[]; job: string };
	afterUndo: { objects: string[]; orfeasCollection: boolean };
	afterRedo: { objects: string[]; location: number[] | null };
	longestTickGapMs: number | null;
	ticksWhileGenerating: number;
}

let daemon: TestDaemon;
let teamDaemon: TestDaemon | undefined;
let teamToken = '';
let work: string;
let report: Report;
let standIn: StandIn | undefined;
let pushedVertices = 0;
let output = '';
let gui: GuiReport;
let guiOutput = '';

beforeAll(async () => {
	const blender = requireProgram('blender');
	execFileSync(process.execPath, [path.join(ROOT, 'bridge-blender', 'package-zip.mjs')], { stdio: 'pipe' });
	work = mkdtempSync(path.join(tmpdir(), 'orfeas-blender-e2e-'));
	// A triplane model (the analytic stand-in in TripoSR's tensor layout) installed in the daemon's home.
	const home = tempHome();
	installTestModel(new Home(home), ellipsoidTriplane({ decoder: 'points' }), TRIPLANE_MODEL);
	// And a generation server: the Hunyuan3D stand-in, added with the real CLI.
	writeFileSync(path.join(work, 'server-box.glb'), (await serverBox(hunyuan3d.frame)).glb);
	standIn = await startStandIn(['--glb', path.join(work, 'server-box.glb'), '--shape-ms', '300', '--texture-ms', '300'], path.join(work, 'stand-in.log'));
	orfeas(['backends', 'add', REMOTE_MODEL, '--kind', 'hunyuan3d', '--url', standIn.url, '--texture', '--home', home], work);
	daemon = await startDaemon({ home });
	// The team server: its own home, one user, a self-signed certificate (on loopback; a user token is still
	// refused paths there).
	const teamHome = tempHome();
	const user = orfeas(['users', 'add', 'ana', '--home', teamHome], teamHome);
	if (user.code !== 0) throw new Error(user.stderr);
	teamToken = user.stdout.trim();
	teamDaemon = await startDaemon({ home: teamHome, args: ['--tls-self-signed'] });
	const teamPicture = path.join(work, 'team_ball.png');
	writeFileSync(teamPicture, await distinctPicture(256, 706));
	const team = { url: `https://127.0.0.1:${teamDaemon.port}`, token: teamToken, fingerprint: teamDaemon.fingerprint256, picture: teamPicture };
	const remotePicture = path.join(work, 'server_box.png');
	writeFileSync(remotePicture, await distinctPicture(256, 705));
	const triplanePicture = path.join(work, 'egg.png');
	writeFileSync(triplanePicture, await distinctPicture(256, 704));
	const picture = path.join(work, 'ball.png');
	writeFileSync(picture, await distinctPicture(256, 701));
	const pushedPicture = path.join(work, 'crate.png');
	writeFileSync(pushedPicture, await distinctPicture(200, 702));
	const box: Record<string, string> = {};
	for (const view of ['front', 'right', 'top'] as const) {
		box[view] = path.join(work, `box_${view}.png`);
		writeFileSync(box[view], await boxPicture([view]));
	}
	box.sheet = path.join(work, 'box_sheet.png');
	writeFileSync(box.sheet, await boxPicture(['front', 'right']));
	const args = path.join(work, 'args.json');
	writeFileSync(args, JSON.stringify({ zip: ZIP, home: daemon.home, emptyHome: mkdtempSync(path.join(work, 'no-daemon-')), picture, box, triplanePicture, triplaneModel: TRIPLANE_MODEL, remotePicture, remoteModel: REMOTE_MODEL, team }));

	// Blender installs the add-on into its user folders: a throwaway pair, so the machine's own stay untouched.
	const child = spawn(blender, ['-b', '--factory-startup', '--python-exit-code', '1', '--python', SCRIPT, '--', args], {
		env: { ...process.env, BLENDER_USER_SCRIPTS: path.join(work, 'scripts'), BLENDER_USER_CONFIG: path.join(work, 'config') },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let pushing: Promise<void> | undefined;
	let pushingScene: Promise<void> | undefined;
	child.stdout.on('data', (data) => {
		output += data;
		if (!pushing && output.includes('@@ORFEAS-READY-FOR-PUSH@@')) pushing = push(pushedPicture);
		if (!pushingScene && output.includes('@@ORFEAS-READY-FOR-SCENE@@')) pushingScene = pushScene();
	});
	child.stderr.on('data', (data) => (output += data));
	await new Promise((resolve) => child.once('exit', resolve));
	await pushing;
	await pushingScene;
	const start = output.lastIndexOf(BEGIN);
	const end = output.lastIndexOf(END);
	if (start < 0 || end < start) throw new Error(`Blender printed no report:\n${output.slice(-4000)}`);
	report = JSON.parse(output.slice(start + BEGIN.length, end)) as Report;
	gui = await runWithWindow(blender);
}, 600_000);

// A box whose edges differ, in metres: 1 m tall, as generated models are by default. glTF's +Z (the depth) is
// Blender's −Y.
const BOX = { width: 0.4, height: 1, depth: 0.8 };
const BOX_VIEWS = { front: ['width', 'height'], right: ['depth', 'height'], top: ['width', 'depth'] } as const;
const BOX_COLOURS = { front: [200, 60, 40], right: [200, 180, 40], top: [150, 60, 170] } as const;

/**
 * Orthographic pictures of the box's sides, side by side on one transparent background (one view: a plain
 * picture of that side): each side an opaque rectangle of its two edges at 160 px/m, shaded across, standing on
 * one baseline with 40 px between and around them.
 */
async function boxPicture(views: (keyof typeof BOX_VIEWS)[]): Promise<Buffer> {
	const PX = 160;
	const GAP = 40;
	const sides = views.map((view) => ({ view, w: Math.round(BOX[BOX_VIEWS[view][0]] * PX), h: Math.round(BOX[BOX_VIEWS[view][1]] * PX) }));
	const width = sides.reduce((sum, side) => sum + side.w + GAP, GAP);
	const height = Math.max(...sides.map((side) => side.h)) + 2 * GAP;
	const data = Buffer.alloc(width * height * 4);
	let left = GAP;
	for (const { view, w, h } of sides) {
		const [r, g, b] = BOX_COLOURS[view];
		for (let y = height - GAP - h; y < height - GAP; y++) {
			for (let x = 0; x < w; x++) data.set([r, g, Math.min(255, b + Math.floor((80 * x) / w)), 255], 4 * (y * width + left + x));
		}
		left += w + GAP;
	}
	return sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer();
}

/** Blender with a window on a virtual display: its event loop runs the add-on's timers and modal operators. */
async function runWithWindow(blender: string): Promise<GuiReport> {
	const xvfb = requireProgram('xvfb-run');
	// Another picture than the headless run's, so the daemon really generates (no cached result).
	const picture = path.join(work, 'gui.png');
	writeFileSync(picture, await distinctPicture(256, 703));
	const args = path.join(work, 'gui-args.json');
	writeFileSync(args, JSON.stringify({ zip: ZIP, home: daemon.home, picture }));
	const child = spawn(xvfb, ['-a', '-s', '-screen 0 1280x800x24', blender, '--factory-startup', '--python', GUI_SCRIPT, '--', args], {
		env: { ...process.env, BLENDER_USER_SCRIPTS: path.join(work, 'gui-scripts'), BLENDER_USER_CONFIG: path.join(work, 'gui-config') },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let text = '';
	child.stdout.on('data', (data) => (text += data));
	child.stderr.on('data', (data) => (text += data));
	await new Promise((resolve) => child.once('exit', resolve));
	guiOutput = text;
	const start = text.lastIndexOf('@@ORFEAS-GUI-REPORT-BEGIN@@');
	const end = text.lastIndexOf('@@ORFEAS-GUI-REPORT-END@@');
	if (start < 0 || end < start) throw new Error(`Blender (with a window) printed no report:\n${text.slice(-4000)}`);
	return JSON.parse(text.slice(start + '@@ORFEAS-GUI-REPORT-BEGIN@@'.length, end)) as GuiReport;
}

afterAll(async () => {
	await standIn?.stop();
	await daemon?.stop();
	await teamDaemon?.stop();
	rmSync(daemon?.home ?? '', { recursive: true, force: true });
	if (teamDaemon) rmSync(teamDaemon.home, { recursive: true, force: true });
	if (work) rmSync(work, { recursive: true, force: true });
});

/** What VS Code's "Send to Blender" does: generate with its client, then push the asset to Blender. */
async function push(picture: string): Promise<void> {
	const vscode = await DaemonClient.connect({ port: daemon.port, token: daemon.token, client: { name: 'vscode', version: 'e2e' } });
	try {
		const done = new Promise<DaemonEvent>((resolve) => vscode.onEvent((e) => e.type === 'job.done' && resolve(e)));
		await vscode.request({ type: 'generate', image: { path: picture }, options: { maxTriangles: 6000 } });
		const event = (await done) as DaemonEvent & { assetId: string; stats: { vertices: number } };
		pushedVertices = event.stats.vertices;
		const reply = (await vscode.request({ type: 'push', target: 'blender', assetId: event.assetId, placement: { atCursor: true } })) as { delivered?: number };
		if (reply.delivered !== 1) throw new Error(`the push reached ${reply.delivered} editors`);
	} finally {
		vscode.close();
	}
}

/** A scene of two crates (one model) and a ball on one of them, created in the daemon and pushed to Blender. */
async function pushScene(): Promise<void> {
	const models = path.join(work, 'yard', 'models');
	mkdirSync(models, { recursive: true });
	for (const model of [await texturedBoxScene('Crate'), await texturedSphereScene('Ball')]) {
		const [file] = await writeSceneGlb(model);
		writeFileSync(path.join(models, file.name), file.bytes);
	}
	const vscode = await DaemonClient.connect({ port: daemon.port, token: daemon.token, client: { name: 'vscode', version: 'e2e' } });
	try {
		const created = (await vscode.request({ type: 'scene.create', document: YARD, base: path.join(work, 'yard') })) as { sceneId: string };
		const reply = (await vscode.request({ type: 'push', target: 'blender', sceneId: created.sceneId })) as { delivered?: number };
		if (reply.delivered !== 1) throw new Error(`the scene push reached ${reply.delivered} editors`);
	} finally {
		vscode.close();
	}
}

const YARD: SceneDocumentView = {
	format: 'orfeas-scene',
	version: 1,
	name: 'Yard',
	units: 'm',
	up: 'Y',
	ground: { y: 0 },
	objects: [
		{ id: 'crate-1', name: 'Crate', source: { model: 'models/Crate.glb' }, transform: { position: [2, 0, -1], rotation: [0, 30, 0], scale: [1, 1, 1] } },
		{ id: 'crate-2', name: 'Crate', source: { model: 'models/Crate.glb' }, transform: { position: [-1.5, 0, 0.5], rotation: [0, 0, 0], scale: [1.5, 1, 1] } },
		{ id: 'ball', name: 'Ball', source: { model: 'models/Ball.glb' }, transform: { position: [0, 1, 0], rotation: [0, 0, 0], scale: [0.3, 0.3, 0.3] }, parent: 'crate-1' },
	],
};

describe('Blender add-on in headless Blender 3.4', () => {
	it('installs from the zip, enables, and ran every step', () => {
		expect(report.error, `${report.error}\n${output.slice(-4000)}`).toBeUndefined();
		expect(report.steps).toEqual(['enabled', 'noDaemon', 'connected', 'generated', 'pushed', 'scene', 'views', 'triplane', 'remote', 'team', 'disabled']);
		expect(report.enabled.panel).toBe(true);
		expect(report.disabled.connection).toBe(true);
	});

	it('says the daemon is not running, at once and in words', () => {
		const { connectError, generateError, seconds, panelMessage } = report.noDaemon;
		expect(connectError).toMatch(/The Orfeas daemon is not running \(no daemon\.json in .*no-daemon-.*\)\. Start it with `orfeas daemon`/);
		expect(panelMessage).toMatch(/not running/);
		expect(generateError).toMatch(/Not connected to the Orfeas daemon\. .*not running.*\[E_CONNECTION\]/);
		expect(seconds).toBeLessThan(15);
		expect(report.noDaemon.panel[0]).toBe('Offline');
		expect(report.noDaemon.panel).toContain('The Orfeas daemon is not running (no daemon.json');
	});

	it('draws the panel with Blender\'s own names: progress with stage and a Cancel while running, Import when done', () => {
		const { runningPanel, donePanel } = report.generated;
		expect(runningPanel).toContain('Generate');
		expect(runningPanel.filter((line) => /^ball: \w+ · \d+%/.test(line)), runningPanel.join('\n')).toHaveLength(1);
		expect(runningPanel).toContain('Receive from editors');
		expect(donePanel).toContain('Recent');
		expect(donePanel).toContain('Import');
		expect(donePanel.some((line) => line.startsWith('Imported ball from job j_'))).toBe(true);
	});

	it('connects and takes the daemon\'s defaults', () => {
		expect(report.connected.message).toMatch(/^Connected to Orfeas .* on port \d+/);
		expect(report.connected.resolution).toBe(report.connected.defaults);
		expect(report.connected.roles).toEqual(['import-target']);
	});

	it('imports the generated model at the 3D cursor: the job\'s vertices, 1 m tall, selected, no empty parent', () => {
		const { object, stats, cursor, collection, empties } = report.generated;
		expect(object.vertices).toBe(stats.vertices);
		expect(object.height).toBeGreaterThan(0.99);
		expect(object.height).toBeLessThan(1.01);
		for (const [i, v] of object.location.entries()) expect(v).toBeCloseTo(cursor[i], 4);
		expect(object.bottom).toBeCloseTo(cursor[2], 2);
		expect(object).toMatchObject({ type: 'MESH', parent: null, collections: ['Orfeas'], selected: true, active: true });
		expect(object.packedImages.length).toBeGreaterThan(0);
		expect(object.packedImages.every(Boolean)).toBe(true);
		expect(collection).toEqual(['ball']);
		expect(empties).toEqual([]);
	});

	it('imports a model pushed from another client at the cursor', () => {
		const { object, notice, collection } = report.pushed;
		expect(object.vertices).toBe(pushedVertices);
		expect(object.vertices).not.toBe(report.generated.object.vertices);
		expect(object.location[0]).toBeCloseTo(-2, 4);
		expect(object).toMatchObject({ type: 'MESH', parent: null, collections: ['Orfeas'], selected: true, active: true });
		expect(report.generated.object.name).toBe('ball');
		expect(collection.sort()).toEqual(['ball', object.name].sort());
		expect(notice).toMatch(/^Imported .* from vscode/);
	});
});

describe('a scene pushed to Blender', () => {
	it('arrives with every object at its document position, repeated models as linked duplicates', () => {
		const { objects, notice } = report.scene;
		expect(notice).toMatch(/^Imported Yard from vscode/);
		expect(objects).toHaveLength(3);
		const world = worldMatrices(YARD);
		for (const object of YARD.objects) {
			const m = world.get(object.id)!;
			// glTF's Y-up (x, y, z) is Blender's Z-up (x, −z, y).
			const expected = [m[12], -m[14], m[13]];
			const found = objects.filter((o) => o.location.every((v, k) => Math.abs(v - expected[k]) < 1e-4));
			expect(found, `${object.id} at ${expected}`).toHaveLength(1);
			expect(found[0].name.startsWith(object.name)).toBe(true);
			expect(found[0].collections).toEqual(['Orfeas']);
		}
		const crates = objects.filter((o) => o.name.startsWith('Crate'));
		expect(crates).toHaveLength(2);
		expect(crates[0].mesh).toBe(crates[1].mesh);
		expect(objects.find((o) => o.name.startsWith('Ball'))?.parent).toMatch(/^Crate/);
	});
});

describe('several views of one object through the add-on', () => {
	it('draws Front with the other sides folded under "More views", and a sheet\'s layout with its problem in words', () => {
		const { panel, sheetPanel, badSheet } = report.views;
		for (const line of ['Pictures', 'Front', 'More views (2)', 'Back', 'Left', 'Right', 'Top', 'Name', 'Generate']) expect(panel, panel.join('\n')).toContain(line);
		expect(panel).not.toContain('Sheet');
		for (const line of ['Sheet', 'Layout', 'Views']) expect(sheetPanel, sheetPanel.join('\n')).toContain(line);
		expect(sheetPanel).not.toContain('More views');
		const problem = 'The sheet names "side", which is not a view: use front, back, left, right or top.';
		expect(sheetPanel.join(' ')).toContain(problem);
		expect(badSheet).toContain(`${problem} [E_BAD_MESSAGE]`);
	});

	it('makes the box from its front, right and top as deep as the right view says; the front alone gives a thin model', () => {
		const { multi, single, donePanel } = report.views;
		expect(multi.name, 'named after box_front.png').toBe('box');
		expect(Object.keys(multi.stats.views ?? {}).sort()).toEqual(['front', 'right', 'top']);
		expect(multi.object.vertices).toBe(multi.stats.vertices);
		const [width, depth, height] = multi.object.extent;
		expect(height).toBeCloseTo(BOX.height, 2);
		expect(Math.abs(width / BOX.width - 1), `width ${width}`).toBeLessThan(0.2);
		expect(Math.abs(depth / BOX.depth - 1), `depth ${depth}`).toBeLessThan(0.2);
		// The same front picture alone: its depth is guessed from the outline, far from the box's.
		expect(single.object.extent[2]).toBeCloseTo(BOX.height, 2);
		expect(single.object.extent[1], `one view's depth ${single.object.extent[1]}`).toBeLessThan(0.5 * BOX.depth);
		expect(single.stats.views).toBeUndefined();
		expect(donePanel.some((line) => /^views agree: front \d+%, right \d+%, top \d+%$/.test(line)), donePanel.join('\n')).toBe(true);
	});

	it('makes the box from a front-and-right sheet picked by layout', () => {
		const { sheet } = report.views;
		expect(sheet.name, 'named after box_sheet.png').toBe('box');
		expect(Object.keys(sheet.stats.views ?? {}).sort()).toEqual(['front', 'right']);
		expect(Math.abs(sheet.object.extent[1] / BOX.depth - 1), `depth ${sheet.object.extent[1]}`).toBeLessThan(0.2);
	});
});

describe('Blender add-on with a triplane model', () => {
	it('offers the installed triplane model in the panel and imports the ellipsoid it makes, upright and in proportion', () => {
		const { offered, model, generated } = report.triplane;
		const { object, stats } = generated;
		expect(offered).toContain(TRIPLANE_MODEL);
		expect(model).toBe(TRIPLANE_MODEL);
		expect(object.vertices).toBe(stats.vertices);
		// Blender: x right, y away from the front camera (glTF's −z), z up. The stand-in's semi-axes: depth, width, height.
		const [rx, ry, rz] = ELLIPSOID_TRIPLANE_DEFAULTS.radii;
		const [width, depth, height] = object.extent;
		expect(height).toBeCloseTo(1, 2);
		expect(Math.abs(width - ry / rz), `width ${width}`).toBeLessThan(0.03);
		expect(Math.abs(depth - rx / rz), `depth ${depth}`).toBeLessThan(0.03);
	});
});

describe('Blender add-on with a generation server', () => {
	it('offers the backend in the Model list and imports the server\'s model in Blender\'s axes, 1 m tall', () => {
		const { offered, model, generated } = report.remote;
		expect(offered).toContain(REMOTE_MODEL);
		expect(model).toBe(REMOTE_MODEL);
		expect(generated.object.vertices).toBe(generated.stats.vertices);
		const [width, depth, height] = generated.object.extent;
		expect(height).toBeCloseTo(1, 2);
		expect(width).toBeCloseTo(SERVER_BOX[0] / SERVER_BOX[1], 2);
		expect(depth).toBeCloseTo(SERVER_BOX[2] / SERVER_BOX[1], 2);
		expect(standIn!.requests().filter((r) => r.path === '/send')).toHaveLength(1);
	});
});

describe('Blender add-on with a team server in its preferences', () => {
	it('refuses a wrong pin in words, naming both fingerprints, and shows it in the panel', () => {
		const { message, panel } = report.team.wrongPin;
		expect(message).toContain(`presented a certificate with SHA-256 fingerprint ${teamDaemon!.fingerprint256}, not the pinned ${Array(32).fill('AB').join(':')}, so nothing was sent`);
		expect(panel[0]).toBe('Refused');
		expect(panel.join(' ')).toContain('presented a certificate with SHA-256 fingerprint');
	});

	it('connects with the right pin and generates: the picture sent itself, the model imported at the cursor', () => {
		const { connected, generated } = report.team;
		expect(connected).toMatch(new RegExp(`^Connected to Orfeas \\S+ at https://127\\.0\\.0\\.1:${teamDaemon!.port} `));
		expect(generated.name).toBe('team_ball');
		expect(generated.object.vertices).toBe(generated.stats.vertices);
		expect(generated.object.height).toBeCloseTo(1, 2);
		expect(generated.object.location[1]).toBeCloseTo(4, 4);
	});

	it('keeps the token in a file of its own, readable by its owner only, and out of userpref.blend', () => {
		const { tokenFile, userpref, tokenShown } = report.team;
		expect(tokenFile).toEqual({ mode: '0o600', holdsToken: true, folder: true });
		expect(tokenShown).toBe(true);
		expect(userpref).toEqual({ url: true, token: false });
	});
});

describe('Blender add-on in Blender 3.4 with a window (Xvfb)', () => {
	it('generates from the button\'s invoke, its own timer imports at the cursor, and one undo removes the whole import', () => {
		expect(gui.error, `${gui.error}\n${guiOutput.slice(-4000)}`).toBeUndefined();
		expect(gui.steps).toEqual(['generating', 'undone', 'redone']);
		expect(gui.invoked).toEqual(['RUNNING_MODAL']);
		expect(gui.imported).toMatchObject({ active: true, job: 'done', objects: [...gui.before, 'ball'].sort() });
		for (const [i, v] of [0.5, -1, 0.25].entries()) expect(gui.imported.location[i]).toBeCloseTo(v, 4);
		expect(gui.afterUndo).toEqual({ objects: gui.before, orfeasCollection: false });
		expect(gui.afterRedo.objects).toEqual([...gui.before, 'ball'].sort());
		for (const [i, v] of [0.5, -1, 0.25].entries()) expect(gui.afterRedo.location?.[i]).toBeCloseTo(v, 4);
		// Blender's own timers kept running while the job ran: the UI was never waiting on the network.
		expect(gui.ticksWhileGenerating).toBeGreaterThan(0);
	});
});
