// Reads a zip archive (a .vsix) from its central directory: every entry's name, and its bytes on demand.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
	name: string;
	size: number;
	read(): Buffer;
}

export function readZip(file: string): ZipEntry[] {
	const zip = readFileSync(file);
	const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	if (end < 0) throw new Error(`${file} is not a zip archive (no end of central directory).`);
	const count = zip.readUInt16LE(end + 10);
	let at = zip.readUInt32LE(end + 16);
	const entries: ZipEntry[] = [];
	for (let i = 0; i < count; i++) {
		if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: central directory entry ${i} is damaged.`);
		const method = zip.readUInt16LE(at + 10);
		const compressed = zip.readUInt32LE(at + 20);
		const size = zip.readUInt32LE(at + 24);
		const nameLength = zip.readUInt16LE(at + 28);
		const extraLength = zip.readUInt16LE(at + 30);
		const commentLength = zip.readUInt16LE(at + 32);
		const local = zip.readUInt32LE(at + 42);
		const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
		at += 46 + nameLength + extraLength + commentLength;
		entries.push({
			name,
			size,
			read() {
				const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
				const data = zip.subarray(start, start + compressed);
				if (method === 0) return data;
				if (method === 8) return inflateRawSync(data);
				throw new Error(`${name}: compression method ${method} is not read here.`);
			},
		});
	}
	return entries;
}
