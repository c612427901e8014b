// Parts thinner than a grid cell, from mask to mesh (shape + mesh, no simplification): lines 1 and 2 px wide at
// many angles off a body must come out as one closed solid, with a 4-connected chain of inside vertices along
// each line and their pixels under the silhouette.
import { describe, expect, it } from 'vitest';
import { analyzeTopology } from '../../../daemon/src/geometry/topology';
import { labelComponents } from '../../../daemon/src/imaging/components';
import { mesh } from '../../../daemon/src/generators/inflate/mesh';
import { shape } from '../../../daemon/src/generators/inflate/shape';
import { quietContext, type HeightField, type SegmentResult, type TriMesh } from '../../../daemon/src/pipeline/types';
import { iou, renderFront } from '../../../daemon/src/quality/raster';
import { ellipse, mulberry32, stroke, union, type Cover } from '../../fixtures/draw';

const ctx = quietContext();
const SIZE = 400;

/** A body with straight lines of `width` px reaching out of it at the given angles (degrees, counter-clockwise). */
function antennae(width: number, degrees: number[], offset = 0.5): { subject: Cover; lines: Cover; body: Cover } {
	const body = ellipse(200, 230, 60, 80);
	const [cx, cy] = [200 + offset, 230 + offset];
	const lines = union(
		...degrees.map((d) => {
			const a = (d * Math.PI) / 180;
			return stroke(cx, cy, cx + 185 * Math.cos(a), cy - 185 * Math.sin(a), width);
		}),
	);
	return { subject: union(body, lines), lines, body };
}

function segmented(cover: Cover): SegmentResult {
	const data = new Uint8Array(SIZE * SIZE);
	let [x0, y0, x1, y1] = [SIZE, SIZE, 0, 0];
	for (let y = 0; y < SIZE; y++) {
		for (let x = 0; x < SIZE; x++) {
			if (cover(x + 0.5, y + 0.5) < 0.5) continue;
			data[y * SIZE + x] = 255;
			[x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + 1), Math.max(y1, y + 1)];
		}
	}
	return { mask: { data, width: SIZE, height: SIZE }, bbox: { x0, y0, x1, y1 }, method: 'alpha', components: 1 };
}

/** The raw mesh seen from the front, drawn onto the mask's own pixels. */
function silhouette(solid: TriMesh, field: HeightField): Uint8Array {
	const { originX, originY, cell } = field;
	const view = { x0: -originX / cell, x1: (SIZE - originX) / cell, y0: -(SIZE - originY) / cell, y1: originY / cell, width: SIZE, height: SIZE };
	return renderFront(solid, view).coverage;
}

/** Pixels where `cover` holds and `except` does not (the part of the lines outside the body). */
function pixelsOf(cover: Cover, except: Cover): number[] {
	const out: number[] = [];
	for (let p = 0; p < SIZE * SIZE; p++) {
		const [x, y] = [(p % SIZE) + 0.5, Math.floor(p / SIZE) + 0.5];
		if (cover(x, y) >= 0.5 && except(x, y) < 0.5) out.push(p);
	}
	return out;
}

function build(subject: Cover, resolution = 256) {
	const input = segmented(subject);
	const field = shape(input, { resolution }, ctx);
	const solid = mesh(field, ctx);
	return { input, field, solid, topology: analyzeTopology(solid.positions, solid.indices), seen: silhouette(solid, field) };
}

/** 4-connected groups of inside vertices: thin parts joined to the body only at corners would count apart. */
function insideGroups(field: HeightField): number {
	const inside = Uint8Array.from(field.coverage, (c) => (c > 0.5 ? 1 : 0));
	return labelComponents(inside, field.cols + 1, field.rows + 1, 1).count;
}

function share(pixels: number[], seen: Uint8Array): number {
	return pixels.filter((p) => seen[p]).length / pixels.length;
}

describe('thin parts', () => {
	it.each([
		[1, 160],
		[2, 80],
	])('keeps %i px lines at 0°, 30°, 45°, 60° and 90° (resolution %i) as one watertight solid that shows them', (width, resolution) => {
		for (const degrees of [[0, 30, 45, 60, 90], [180, 150, 135, 120, 270]]) {
			// 1 px lines through pixel centres (the 45° one touches only at corners), 2 px ones along pixel corners.
			const { subject, lines, body } = antennae(width, degrees, width === 1 ? 0.5 : 0);
			const { input, field, topology, seen } = build(subject, resolution);
			const label = `${width} px at ${degrees}`;
			expect(field.cell, label).toBeGreaterThan(width);
			expect(insideGroups(field), label).toBe(1);
			expect(topology, label).toMatchObject({ watertight: true, components: 1, eulerCharacteristic: 2 });
			expect(share(pixelsOf(lines, body), seen), label).toBeGreaterThanOrEqual(0.95);
			expect(iou(Uint8Array.from(input.mask.data, (v) => (v ? 1 : 0)), seen), label).toBeGreaterThanOrEqual(0.95);
		}
	});

	it('keeps random thin lines, at any angle and grid, connected and under the silhouette', () => {
		const random = mulberry32(0x7417);
		for (let k = 0; k < 8; k++) {
			const degrees = Array.from({ length: 4 }, (_, i) => i * 90 + random() * 80 + 5);
			const width = random() < 0.5 ? 1 : 1 + random() * 1.5;
			const { subject, lines, body } = antennae(width, degrees, random());
			for (const resolution of [128, 256, 400]) {
				const { field, topology, seen } = build(subject, resolution);
				const label = `${width.toFixed(2)} px at ${degrees.map(Math.round)}, resolution ${resolution}`;
				expect(insideGroups(field), label).toBe(1);
				expect(topology, label).toMatchObject({ watertight: true, components: 1, eulerCharacteristic: 2, degenerateTriangles: 0 });
				expect(share(pixelsOf(lines, body), seen), label).toBeGreaterThanOrEqual(0.9);
			}
		}
	});

	it('leaves a subject without thin parts as it was: no measured crossings', () => {
		const { field } = build(ellipse(200, 200, 150, 120));
		expect(field.crossings).toBeUndefined();
	});
});
