// Plain-text tables for the bench and eval reports: columns padded to their widest cell so a person can read
// them in a terminal or paste them into a note. Numbers align right, text left.

export type Align = 'left' | 'right';

export interface Column {
	header: string;
	align?: Align;
}

/**
 * Lays out rows under their headers, two spaces between columns, a dashed rule under the header.
 *
 * @example
 * formatTable([{ header: 'stage' }, { header: 'p50 ms', align: 'right' }], [['decode', '12.3']]);
 */
export function formatTable(columns: Column[], rows: string[][]): string {
	const widths = columns.map((c, k) => Math.max(c.header.length, ...rows.map((r) => (r[k] ?? '').length)));
	const line = (cells: string[]) =>
		columns
			.map((c, k) => {
				const cell = cells[k] ?? '';
				return c.align === 'right' ? cell.padStart(widths[k]) : cell.padEnd(widths[k]);
			})
			.join('  ')
			.trimEnd();
	const rule = widths.map((w) => '-'.repeat(w)).join('  ');
	return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join('\n');
}

/** A millisecond figure with one decimal below 100 ms and none above, where a decimal is only noise. */
export function formatMs(ms: number): string {
	return ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}
