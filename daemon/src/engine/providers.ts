// Which execution provider runs the models: `auto` tries CUDA, then WebGPU when it is enabled, then the CPU; an
// explicit choice tries that one and falls back to the CPU. Each provider is proved by running a tiny model on
// it, and every fallback is kept with its reason for the log, welcome.engine and `orfeas doctor`.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const PROVIDER_PREFERENCES = ['auto', 'cuda', 'webgpu', 'cpu'] as const;
export type ProviderPreference = (typeof PROVIDER_PREFERENCES)[number];

export interface ProviderChoice {
	requested: ProviderPreference;
	/** The provider sessions are created with. */
	active: string;
	/** Providers that passed the probe. */
	available: string[];
	/** Providers tried and given up, with why. */
	fallbacks: Array<{ provider: string; reason: string }>;
}

/** Runs a tiny model on one provider alone; rejects with the provider's error when it cannot. */
export type ProviderProbe = (provider: string) => Promise<void>;

export async function chooseProvider(requested: ProviderPreference, probe: ProviderProbe, options: { webgpu: boolean }): Promise<ProviderChoice> {
	const order =
		requested === 'auto' ? ['cuda', ...(options.webgpu ? ['webgpu'] : []), 'cpu'] : requested === 'cpu' ? ['cpu'] : [requested, 'cpu'];
	const choice: ProviderChoice = { requested, active: 'cpu', available: [], fallbacks: [] };
	let chosen = false;
	for (const provider of order) {
		try {
			await probe(provider);
			choice.available.push(provider);
			if (!chosen) {
				choice.active = provider;
				chosen = true;
			}
		} catch (error) {
			choice.fallbacks.push({ provider, reason: reason(provider, error) });
		}
	}
	if (requested === 'auto' && !options.webgpu) {
		choice.fallbacks.push({ provider: 'webgpu', reason: 'not enabled (start the daemon with --webgpu to try it)' });
	}
	return choice;
}

/** One readable line for why a provider cannot be used, with what to do when it is a known case. */
function reason(provider: string, error: unknown): string {
	const text = (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200);
	if (provider === 'cuda' && /not (supported|available|found)|shared (library|object)|libonnxruntime_providers|no such file/i.test(text)) {
		return `CUDA provider not installed (${text}); install it with: ${CUDA_INSTALL_COMMAND}`;
	}
	return text;
}

/**
 * How to add the CUDA provider to the onnxruntime-node this daemon loads. The npm package carries its own copy
 * beside the bundle (dist/node_modules, packaging/npm-stage.mjs) with onnxruntime-node's installer but without
 * running it, as an install must not reach outside the npm registry; a checkout runs it through npm.
 */
export const CUDA_INSTALL_COMMAND = cudaInstallCommand(path.join(__dirname, 'node_modules', 'onnxruntime-node', 'script', 'install.js'));

export function cudaInstallCommand(carriedInstaller: string): string {
	return existsSync(carriedInstaller)
		? `node "${carriedInstaller}" --onnxruntime-node-install=cuda12`
		: 'npm install --onnxruntime-node-install=cuda12';
}
