// Reads a model file with assimp (the Open Asset Import Library's command-line tool) and returns what
// `assimp info` reports: counts, mesh and material names and the node tree. Tests use it as an independent
// reader of the files our exporters write.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { requireProgram } from './external';

const run = promisify(execFile);

export interface AssimpMesh {
	name: string;
	vertices: number;
	faces: number;
	primitives: string;
}

export interface AssimpInfo {
	nodes: number;
	meshes: number;
	materials: number;
	embeddedTextures: number;
	vertices: number;
	faces: number;
	min: [number, number, number];
	max: [number, number, number];
	meshList: AssimpMesh[];
	materialNames: string[];
	/** Node names in tree order (the first is the root). */
	nodeNames: string[];
	/** The whole report, for failure messages. */
	text: string;
}

/**
 * `assimp info <file>`; `raw` skips assimp's post-processing (no vertex joining), so vertex counts are the
 * file's own. Rejects with assimp's output when it cannot import the file.
 */
export async function assimpInfo(file: string, { raw = false } = {}): Promise<AssimpInfo> {
	const assimp = requireProgram('assimp');
	let text: string;
	try {
		const { stdout } = await run(assimp, ['info', file, ...(raw ? ['-r'] : [])], { maxBuffer: 64 << 20 });
		text = stdout;
	} catch (error) {
		const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
		throw new Error(`assimp could not import ${file}:\n${stdout.slice(-2000)}${stderr.slice(-2000)}`);
	}
	if (!/Importing file \.+\s+OK/.test(text)) throw new Error(`assimp could not import ${file}:\n${text.slice(-2000)}`);
	const count = (label: string) => {
		const match = new RegExp(`^${label}:\\s+(\\d+)`, 'm').exec(text);
		if (!match) throw new Error(`assimp info has no "${label}" line:\n${text.slice(-2000)}`);
		return Number(match[1]);
	};
	const point = (label: string): [number, number, number] => {
		const match = new RegExp(`^${label}\\s+\\(([^)]*)\\)`, 'm').exec(text);
		if (!match) throw new Error(`assimp info has no "${label}" line`);
		return match[1].trim().split(/\s+/).map(Number) as [number, number, number];
	};
	const meshList = [...text.matchAll(/^\s+\d+ \((.*)\): \[(\d+) \/ \d+ \/ (\d+) \| ([^\]]*)\]$/gm)].map((m) => ({
		name: m[1],
		vertices: Number(m[2]),
		faces: Number(m[3]),
		primitives: m[4].trim(),
	}));
	const materialNames = [...text.matchAll(/^\s+'(.*)' \(prop\)/gm)].map((m) => m[1]);
	const tree = text.slice(text.indexOf('Node hierarchy:') + 'Node hierarchy:'.length);
	const nodeNames = tree
		.split('\n')
		.map((line) => line.replace(/^[\s│├└╴─|`-]+/u, '').replace(/\s+\((?:mesh|meshes) [^)]*\)\s*$/, '').trim())
		.filter((line) => line.length > 0);
	return {
		nodes: count('Nodes'),
		meshes: count('Meshes'),
		materials: count('Materials'),
		embeddedTextures: count('Textures \\(embed\\.\\)'),
		vertices: count('Vertices'),
		faces: count('Faces'),
		min: point('Minimum point'),
		max: point('Maximum point'),
		meshList,
		materialNames,
		nodeNames,
		text,
	};
}
