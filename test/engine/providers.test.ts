// Provider choice with the real onnxruntime-node: CUDA is not installed here (its provider is an opt-in
// download), so asking for it must fall back to the CPU with the reason, not crash.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createProbe, PROBE_MODEL_BASE64 } from '../../daemon/src/engine/probe';
import { chooseProvider } from '../../daemon/src/engine/providers';
import { GraphBuilder } from '../../models/testing/onnx-writer';

const probe = createProbe(ort);

describe('chooseProvider', () => {
	it('falls back from CUDA to the CPU and says why, with the command that installs CUDA', async () => {
		const choice = await chooseProvider('cuda', probe, { webgpu: false });
		expect(choice.active).toBe('cpu');
		expect(choice.available).toEqual(['cpu']);
		expect(choice.fallbacks).toHaveLength(1);
		expect(choice.fallbacks[0].provider).toBe('cuda');
		expect(choice.fallbacks[0].reason).toMatch(/--onnxruntime-node-install=cuda12/);
	});

	it('tries CUDA then the CPU on auto, and reports WebGPU as not enabled', async () => {
		const choice = await chooseProvider('auto', probe, { webgpu: false });
		expect(choice.active).toBe('cpu');
		expect(choice.fallbacks.map((f) => f.provider)).toEqual(['cuda', 'webgpu']);
		expect(choice.fallbacks[1].reason).toMatch(/--webgpu/);
	});

	it('uses the CPU directly when asked, and keeps the first provider that works', async () => {
		expect(await chooseProvider('cpu', probe, { webgpu: false })).toMatchObject({ active: 'cpu', fallbacks: [] });
		const tried: string[] = [];
		const fake = async (p: string) => {
			tried.push(p);
			if (p === 'cuda') throw new Error('no GPU');
		};
		const choice = await chooseProvider('auto', fake, { webgpu: true });
		expect(tried).toEqual(['cuda', 'webgpu', 'cpu']);
		expect(choice).toMatchObject({ active: 'webgpu', available: ['webgpu', 'cpu'] });
	});
});

describe('provider probe model', () => {
	it('is the one-node Add model the project writer builds, byte for byte', () => {
		const g = new GraphBuilder('orfeas-provider-probe');
		g.input('x', [4]);
		g.initializer('one', [1], Float32Array.of(1));
		g.node('Add', ['x', 'one'], ['y']);
		g.output('y', [4]);
		expect(Buffer.from(PROBE_MODEL_BASE64, 'base64')).toEqual(Buffer.from(g.toBytes({ producer: 'orfeas' })));
	});
});
