// What a native binary was built for, from its header: the file format (ELF for Linux, PE for Windows, Mach-O
// for macOS) and the machine (x64 or arm64; a universal Mach-O lists each of its slices).
export type NativeFormat = 'elf' | 'pe' | 'macho';

export interface NativeHeader {
	format: NativeFormat;
	/** Machine types as process.arch names them; an unknown one as `machine 0x…`. */
	arches: string[];
}

export const FORMAT_OF_PLATFORM: Record<string, NativeFormat> = { linux: 'elf', win32: 'pe', darwin: 'macho' };

const ELF_MACHINES: Record<number, string> = { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'arm' };
const PE_MACHINES: Record<number, string> = { 0x8664: 'x64', 0xaa64: 'arm64', 0x014c: 'ia32' };
const MACHO_CPUS: Record<number, string> = { 0x01000007: 'x64', 0x0100000c: 'arm64', 0x7: 'ia32' };

const name = (table: Record<number, string>, machine: number) => table[machine] ?? `machine 0x${machine.toString(16)}`;

/** The header's format and machines, or null when the bytes are no ELF, PE or Mach-O binary. */
export function nativeHeader(bytes: Buffer): NativeHeader | null {
	if (bytes.length < 64) return null;
	if (bytes.readUInt32BE(0) === 0x7f454c46) {
		const littleEndian = bytes[5] === 1;
		return { format: 'elf', arches: [name(ELF_MACHINES, littleEndian ? bytes.readUInt16LE(0x12) : bytes.readUInt16BE(0x12))] };
	}
	if (bytes.toString('latin1', 0, 2) === 'MZ') {
		const pe = bytes.readUInt32LE(0x3c);
		if (pe + 6 > bytes.length || bytes.readUInt32BE(pe) !== 0x50450000) return null;
		return { format: 'pe', arches: [name(PE_MACHINES, bytes.readUInt16LE(pe + 4))] };
	}
	const magic = bytes.readUInt32LE(0);
	if (magic === 0xfeedfacf || magic === 0xfeedface) return { format: 'macho', arches: [name(MACHO_CPUS, bytes.readUInt32LE(4))] };
	if (bytes.readUInt32BE(0) === 0xcafebabe) {
		const count = bytes.readUInt32BE(4);
		const arches = Array.from({ length: count }, (_, i) => name(MACHO_CPUS, bytes.readUInt32BE(8 + 20 * i)));
		return { format: 'macho', arches };
	}
	return null;
}
