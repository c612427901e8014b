// The extension's pure modules: output names, progress words, settings → options, .gltf resources.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explicitOptions, type GenerateSetting, type Inspected } from '../../extension/src/config';
import { hasImageExtension } from '../../daemon/src/protocol/options';
import { freeName, modelName, outputFolder } from '../../extension/src/outputs';
import { gltfResources } from '../../extension/src/preview/resources';
import { describeEta, describeProgress, ProgressIncrements } from '../../extension/src/progress';
import type { DaemonEvent } from '../../extension/src/daemon/client';
import type { Connection } from '../../extension/src/daemon/connection';
import { waitForJob } from '../../extension/src/jobs';

describe('outputs', () => {
	it('puts models beside the image, or in a folder relative to it, or an absolute one', () => {
		expect(outputFolder('/w/pics/cat.png', '')).toBe('/w/pics');
		expect(outputFolder('/w/pics/cat.png', 'models')).toBe('/w/pics/models');
		expect(outputFolder('/w/pics/cat.png', '../out')).toBe('/w/out');
		expect(outputFolder('/w/pics/cat.png', '/abs/models')).toBe('/abs/models');
		expect(modelName('/w/pics/cat.photo.png')).toBe('cat.photo');
	});

	it('finds the first free name without touching the taken ones', () => {
		const taken = new Set(['/w/cat.glb', '/w/cat-1.glb']);
		expect(freeName('/w/cat.glb', (f) => taken.has(f))).toBe('/w/cat-2.glb');
		expect(freeName('/w/dog.glb', (f) => taken.has(f))).toBe('/w/dog.glb');
	});

	it('knows the picture types by extension, whatever the case', () => {
		for (const name of ['a.png', 'a.JPG', 'a.jpeg', 'a.webp', 'a.gif', 'a.tif', 'a.TIFF', 'a.avif']) expect(hasImageExtension(name), name).toBe(true);
		for (const name of ['a.glb', 'a.svg', 'a', 'a.png.txt']) expect(hasImageExtension(name), name).toBe(false);
	});
});

describe('progress words', () => {
	it('says the stage, the percentage and the time left', () => {
		expect(describeProgress('texture', 0.456, 3200)).toBe('texture · 46% · about 3 s left');
		expect(describeProgress('export', 1, 10)).toBe('export · 100%');
		expect(describeProgress('decode', 0, 0)).toBe('decode · 0%');
		expect(describeEta(400)).toBe('less than a second left');
		expect(describeEta(125_000)).toBe('about 2 min left');
	});

	it('turns overall fractions into increments that never go backwards', () => {
		const bar = new ProgressIncrements();
		expect(bar.next(0.25)).toBe(25);
		expect(bar.next(0.5)).toBe(25);
		expect(bar.next(0.1)).toBe(0);
		expect(bar.next(2)).toBe(50);
	});
});

describe('settings → generate options', () => {
	const inspect = (values: Partial<Record<GenerateSetting, Inspected>>) => (key: GenerateSetting) => values[key];

	it('sends only what the user set, the most specific scope winning', () => {
		expect(explicitOptions(inspect({}))).toEqual({});
		const options = explicitOptions(
			inspect({
				resolution: { globalValue: 128, workspaceValue: 512 },
				collider: { globalValue: 'hull' },
				lods: { workspaceFolderValue: [1, 0.5], globalValue: [1] },
			}),
		);
		expect(options).toEqual({ resolution: 512, collider: 'hull', lods: [1, 0.5] });
	});

	it('names the setting that is out of range', () => {
		expect(() => explicitOptions(inspect({ resolution: { globalValue: 5000 } }))).toThrow(/orfeas\.generate\.resolution/);
		expect(() => explicitOptions(inspect({ lods: { globalValue: [0.5, 1] } }))).toThrow(/orfeas\.generate\.lods.*decrease/);
	});
});

describe('.gltf resources for the preview', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'orfeas-gltf-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	const gltf = (json: object) => new TextEncoder().encode(JSON.stringify(json));

	it('reads the buffers and images beside the file, by their uri, leaving data: URIs alone', async () => {
		mkdirSync(path.join(dir, 'tex'), { recursive: true });
		writeFileSync(path.join(dir, 'mesh data.bin'), Buffer.from([1, 2, 3]));
		writeFileSync(path.join(dir, 'tex', 'base.png'), Buffer.from([9]));
		const resources = await gltfResources(path.join(dir, 'm.gltf'), gltf({ buffers: [{ uri: 'mesh%20data.bin' }, { uri: 'data:application/octet-stream;base64,AA==' }], images: [{ uri: 'tex/base.png' }] }));
		expect(Object.keys(resources).sort()).toEqual(['mesh%20data.bin', 'tex/base.png']);
		expect([...resources['mesh%20data.bin']]).toEqual([1, 2, 3]);
	});

	it('refuses files outside the model folder and says which', async () => {
		await expect(gltfResources(path.join(dir, 'm.gltf'), gltf({ buffers: [{ uri: '../secret.bin' }] }))).rejects.toThrow(/\.\.\/secret\.bin, outside its folder/);
		await expect(gltfResources(path.join(dir, 'm.gltf'), gltf({ images: [{ uri: 'file:///etc/passwd' }] }))).rejects.toThrow(/outside its folder/);
		await expect(gltfResources(path.join(dir, 'm.gltf'), gltf({ buffers: [{ uri: 'missing.bin' }] }))).rejects.toThrow(/missing\.bin, which is missing/);
		await expect(gltfResources(path.join(dir, 'm.gltf'), new TextEncoder().encode('{not json'))).rejects.toThrow(/not valid glTF JSON/);
	});
});

describe('waitForJob', () => {
	it('settles on the first final event of its job and ignores a repeat', async () => {
		const listeners = new Set<(event: DaemonEvent) => void>();
		const requests: unknown[] = [];
		const connection = {
			followed: new Set<string>(),
			onEvent(listener: (event: DaemonEvent) => void) {
				listeners.add(listener);
				return () => listeners.delete(listener);
			},
			// The subscription's snapshot and the live event both carry the result, as a daemon racing them would.
			async get() {
				return {
					request: async (message: unknown) => {
						requests.push(message);
						const done = { type: 'job.done', jobId: 'j_1', assetId: 'a'.repeat(64), files: [] } as DaemonEvent;
						for (const listener of [...listeners]) listener(done);
						for (const listener of [...listeners]) listener({ type: 'job.failed', jobId: 'j_1', code: 'E_INTERNAL', message: 'late', stage: 'export' } as DaemonEvent);
						return { type: 'ok' };
					},
				};
			},
		};
		const done = await waitForJob(connection as unknown as Connection, 'j_1');
		expect(done).toMatchObject({ type: 'job.done', jobId: 'j_1' });
		expect(requests).toEqual([{ type: 'subscribe', jobId: 'j_1' }]);
		expect(listeners.size).toBe(0);
		expect(connection.followed.size).toBe(0);
	});
});
