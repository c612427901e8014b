// Proves an execution provider works by running a one-node model on it alone. The model is written on the spot
// by the project's own ONNX writer, so no file has to ship for it.
import { GraphBuilder } from '../../../models/testing/onnx-writer';
import type { ProviderProbe } from './providers';

type Ort = typeof import('onnxruntime-node');

let probeModel: Uint8Array | undefined;

/** y = x + 1 on a [4] tensor. */
function identityPlusOne(): Uint8Array {
	if (probeModel) return probeModel;
	const g = new GraphBuilder('orfeas-provider-probe');
	g.input('x', [4]);
	g.initializer('one', [1], Float32Array.of(1));
	g.node('Add', ['x', 'one'], ['y']);
	g.output('y', [4]);
	probeModel = g.toBytes({ producer: 'orfeas' });
	return probeModel;
}

export function createProbe(ort: Ort): ProviderProbe {
	// ONNX Runtime prints its own errors to the terminal; ours carry the reason already. Set before the first
	// session, which creates the process-wide runtime environment.
	ort.env.logLevel = 'fatal';
	return async (provider) => {
		// A missing provider is expected here: keep ONNX Runtime's own error print out of the user's terminal.
		const session = await ort.InferenceSession.create(identityPlusOne(), { executionProviders: [provider], logSeverityLevel: 4 });
		try {
			const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4), [4]) });
			const y = out.y.data as Float32Array;
			if (y[3] !== 5) throw new Error(`the ${provider} provider computed ${y[3]} for 4 + 1`);
		} finally {
			await session.release();
		}
	};
}
