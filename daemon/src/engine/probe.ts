// Proves an execution provider works by running a one-node model on it alone. The model is 115 bytes, kept here
// as text so no file has to ship for it and the daemon needs no ONNX writer; a test rebuilds it with the
// project's writer and checks these bytes are that model.
import type { ProviderProbe } from './providers';
import type { Ort } from './onnxruntime';

/** ONNX model `orfeas-provider-probe`: y = Add(x, one) with x, y float [4] and the initializer one = [1]. */
export const PROBE_MODEL_BASE64 =
	'CAgSBm9yZmVhczpjChcKAXgKA29uZRIBeRoFQWRkXzAiA0FkZBIVb3JmZWFzLXByb3ZpZGVyLXByb2JlKg8IARABQgNvbmVKBAAAgD9aDwoBeBIKCggIARIECgIIBGIPCgF5EgoKCAgBEgQKAggEQgIQEg==';

let probeModel: Uint8Array | undefined;

function identityPlusOne(): Uint8Array {
	probeModel ??= Uint8Array.from(Buffer.from(PROBE_MODEL_BASE64, 'base64'));
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
