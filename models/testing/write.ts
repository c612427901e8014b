// Writes the test models (models.ts) as .onnx files, each model with a `<id>.json` description beside its files.
// Usage: npx tsx models/testing/write.ts OUTDIR [MODEL...]   (MODEL: thresholdSegmentation, syntheticConvNet, …)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { modelFiles, TEST_MODELS } from './models';

async function main(args: string[]): Promise<void> {
	const [outDir, ...wanted] = args;
	const known = Object.keys(TEST_MODELS);
	if (!outDir || outDir.startsWith('-')) throw new Error(`Usage: npx tsx models/testing/write.ts OUTDIR [MODEL...]; models: ${known.join(', ')}.`);
	const unknown = wanted.filter((name) => !known.includes(name));
	if (unknown.length > 0) throw new Error(`No test model called ${unknown.join(', ')}; there are ${known.join(', ')}.`);
	await mkdir(outDir, { recursive: true });
	for (const [key, make] of Object.entries(TEST_MODELS)) {
		if (wanted.length > 0 && !wanted.includes(key)) continue;
		const model = make();
		const files = modelFiles(model);
		for (const file of files) await writeFile(path.join(outDir, file.name), file.bytes);
		const json = path.join(outDir, `${model.description.id}.json`);
		await writeFile(json, `${JSON.stringify(model.description, null, '\t')}\n`);
		const bytes = files.reduce((sum, f) => sum + f.bytes.length, 0);
		console.log(`${json}  (${files.map((f) => f.name).join(', ')}; ${bytes} bytes)`);
	}
}

main(process.argv.slice(2)).catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : String(error));
	process.exitCode = 1;
});
