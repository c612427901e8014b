import { describe, expect, it } from 'vitest';
import { MAX_SCENE_OBJECTS, type SceneTransformView } from '../../daemon/src/protocol/scene';
import { LAYOUT_DEFAULTS, LAYOUT_MODES, layout, type LayoutItem, type LayoutMode } from '../../daemon/src/scene/layout';
import { localMatrix, transformBox, type Box, type Vec3 } from '../../daemon/src/scene/transform';
import { mulberry32 as generator } from '../helpers/random';


const between = (random: () => number, lo: number, hi: number) => lo + (hi - lo) * random();
const logBetween = (random: () => number, lo: number, hi: number) => Math.exp(between(random, Math.log(lo), Math.log(hi)));

/** A random scene: sizes 0.02–5 m, boxes off-centre, rotations (a third axis-aligned), non-uniform scales. */
function randomItems(random: () => number, count: number): LayoutItem[] {
	return Array.from({ length: count }, (_, i) => {
		const size = [0, 1, 2].map(() => logBetween(random, 0.02, 5));
		const min = size.map((s) => between(random, -s, 0)) as Vec3;
		const aligned = random() < 1 / 3;
		const rotation = [0, 1, 2].map(() => (aligned ? 90 * Math.floor(between(random, -2, 3)) : between(random, -180, 180))) as Vec3;
		return {
			id: `o${i}`,
			bounds: { min, max: min.map((v, k) => v + size[k]) as Vec3 },
			transform: {
				position: [0, 1, 2].map(() => between(random, -50, 50)) as Vec3,
				rotation,
				scale: [0, 1, 2].map(() => logBetween(random, 0.3, 3)) as Vec3,
			},
		};
	});
}

function worldBox(item: LayoutItem, transform: SceneTransformView): Box {
	return transformBox(localMatrix(transform), item.bounds);
}

/** Distance between two boxes on the ground plane along the axis that separates them best (negative: overlap). */
function groundGap(a: Box, b: Box): number {
	return Math.max(b.min[0] - a.max[0], a.min[0] - b.max[0], b.min[2] - a.max[2], a.min[2] - b.max[2]);
}

function intersects3d(a: Box, b: Box): boolean {
	return [0, 1, 2].every((k) => Math.min(a.max[k], b.max[k]) - Math.max(a.min[k], b.min[k]) > 1e-9);
}

/** Everything the layout promises, as a list of broken promises (empty when it holds). */
function violations(items: LayoutItem[], groundY: number, spacing: number, placed: Map<string, SceneTransformView>): string[] {
	const found: string[] = [];
	if ([...placed.keys()].join() !== items.map((item) => item.id).join()) found.push('ids or their order changed');
	const boxes = items.map((item) => {
		const t = placed.get(item.id)!;
		if (![...t.position, ...t.rotation, ...t.scale].every(Number.isFinite)) found.push(`${item.id}: not finite`);
		if (t.rotation.join() !== item.transform.rotation.join() || t.scale.join() !== item.transform.scale.join()) found.push(`${item.id}: rotation or scale changed`);
		const box = worldBox(item, t);
		// On the ground exactly where a float position allows it, else one position step above: never below.
		if (box.min[1] < groundY || box.min[1] - groundY > 2 * ulp(t.position[1]) + ulp(groundY)) found.push(`${item.id}: bottom at ${box.min[1]}, ground at ${groundY}`);
		return box;
	});
	for (let i = 0; i < boxes.length; i++) {
		for (let j = i + 1; j < boxes.length; j++) {
			const gap = groundGap(boxes[i], boxes[j]);
			if (gap < spacing - 1e-9) found.push(`${items[i].id}–${items[j].id}: gap ${gap} < ${spacing}`);
			if (intersects3d(boxes[i], boxes[j])) found.push(`${items[i].id}–${items[j].id}: boxes intersect`);
		}
	}
	return found;
}

/** The gap between a number and the next float up. */
function ulp(x: number): number {
	const bits = new BigInt64Array(new Float64Array([Math.abs(x)]).buffer);
	bits[0] += 1n;
	return new Float64Array(bits.buffer)[0] - Math.abs(x);
}

function centreOf(box: Box): [number, number] {
	return [(box.min[0] + box.max[0]) / 2, (box.min[2] + box.max[2]) / 2];
}

function codeOf(run: () => unknown): string | undefined {
	try {
		run();
	} catch (error) {
		return (error as { code?: string }).code;
	}
	return undefined;
}

const CASES_PER_MODE = 60;

describe('layout', () => {
	describe.each(LAYOUT_MODES)('%s', (mode) => {
		it('stands 2–50 random objects on the ground, apart by the spacing', () => {
			for (let seed = 1; seed <= CASES_PER_MODE; seed++) {
				const random = generator(seed);
				const items = randomItems(random, 2 + Math.floor(random() * 49));
				const groundY = seed % 4 === 0 ? 0 : between(random, -10, 10);
				const spacing = [0, 0.25, between(random, 0, 1)][seed % 3];
				const placed = layout(items, groundY, { mode, spacing, seed });
				expect(violations(items, groundY, spacing, placed), `mode ${mode}, case seed ${seed}`).toEqual([]);
			}
		});

		it('gives the same layout for the same items and options, and leaves its input alone', () => {
			for (let seed = 1; seed <= 10; seed++) {
				const items = randomItems(generator(1000 + seed), 20);
				const before = structuredClone(items);
				const first = layout(items, 1.5, { mode, seed });
				expect([...layout(structuredClone(items), 1.5, { mode, seed })], `case seed ${seed}`).toEqual([...first]);
				expect(items).toEqual(before);
			}
		});

		it('puts a single object at the origin on the ground, and nothing for no objects', () => {
			const [item] = randomItems(generator(7), 1);
			const t = layout([item], -2.25, { mode }).get(item.id)!;
			const box = worldBox(item, t);
			const [x, z] = centreOf(box);
			expect(Math.abs(x)).toBeLessThan(1e-12);
			expect(Math.abs(z)).toBeLessThan(1e-12);
			expect(box.min[1]).toBe(-2.25);
			expect(layout([], 0, { mode }).size).toBe(0);
		});

		it(`lays out ${MAX_SCENE_OBJECTS} objects, the most a scene holds`, () => {
			const items = randomItems(generator(4242), MAX_SCENE_OBJECTS);
			const placed = layout(items, 0.5, { mode, seed: 3, spacing: 0.1 });
			expect(violations(items, 0.5, 0.1, placed)).toEqual([]);
		});
	});

	it('uses the grid and 0.25 m when no options are given', () => {
		const items = randomItems(generator(11), 9);
		expect(LAYOUT_DEFAULTS).toEqual({ mode: 'grid', seed: 1, spacing: 0.25 });
		expect([...layout(items, 0)]).toEqual([...layout(items, 0, { mode: 'grid', spacing: 0.25, seed: 99 })]);
	});

	it('scatters differently for another seed', () => {
		const items = randomItems(generator(5), 12);
		const one = layout(items, 0, { mode: 'scatter', seed: 1 });
		const two = layout(items, 0, { mode: 'scatter', seed: 2 });
		expect([...one]).not.toEqual([...two]);
		expect([...one]).toEqual([...layout(items, 0, { mode: 'scatter', seed: 1 })]);
	});

	it('lines a row up along +X in item order, touching by the spacing, centred on the origin', () => {
		for (let seed = 1; seed <= 20; seed++) {
			const items = randomItems(generator(seed), 2 + seed);
			const placed = layout(items, 0, { mode: 'row', spacing: 0.3 });
			const boxes = items.map((item) => worldBox(item, placed.get(item.id)!));
			for (let i = 1; i < boxes.length; i++) {
				expect(centreOf(boxes[i])[0], `case seed ${seed}`).toBeGreaterThan(centreOf(boxes[i - 1])[0]);
				expect(boxes[i].min[0] - boxes[i - 1].max[0], `case seed ${seed}`).toBeCloseTo(0.3, 9);
			}
			for (const box of boxes) expect(Math.abs(centreOf(box)[1]), `case seed ${seed}`).toBeLessThan(1e-9);
			expect(boxes[0].min[0] + boxes[boxes.length - 1].max[0], `case seed ${seed}`).toBeCloseTo(0, 9);
		}
	});

	it('fills a grid of ceil(√n) columns row by row', () => {
		for (const count of [2, 3, 4, 5, 10, 17, 50]) {
			const items = randomItems(generator(count), count);
			const placed = layout(items, 0, { mode: 'grid' });
			const columns = Math.ceil(Math.sqrt(count));
			const centres = items.map((item) => centreOf(worldBox(item, placed.get(item.id)!)));
			const distinct = (values: number[]) => new Set(values.map((v) => v.toFixed(6))).size;
			expect(distinct(centres.map(([x]) => x)), `${count} objects`).toBe(columns);
			expect(distinct(centres.map(([, z]) => z)), `${count} objects`).toBe(Math.ceil(count / columns));
			centres.forEach(([x, z], i) => {
				const [x0, z0] = centres[i % columns];
				const [xr, zr] = centres[i - (i % columns)];
				expect(x, `${count} objects, item ${i}: column`).toBeCloseTo(x0, 9);
				expect(z, `${count} objects, item ${i}: row`).toBeCloseTo(zr, 9);
				if (i % columns > 0) expect(x, `${count} objects, item ${i}: order`).toBeGreaterThan(xr);
				if (i >= columns) expect(z, `${count} objects, item ${i}: order`).toBeGreaterThan(z0);
			});
		}
	});

	it('spreads a circle evenly by angle on the smallest radius that keeps the objects apart', () => {
		for (let seed = 1; seed <= 20; seed++) {
			const random = generator(seed);
			const items = randomItems(random, 2 + Math.floor(random() * 30));
			const spacing = 0.25;
			const placed = layout(items, 0, { mode: 'circle', spacing });
			const boxes = items.map((item) => worldBox(item, placed.get(item.id)!));
			const centres = boxes.map(centreOf);
			const radius = Math.hypot(...centres[0]);
			centres.forEach(([x, z], i) => {
				expect(Math.hypot(x, z) / radius, `case seed ${seed}, item ${i}`).toBeCloseTo(1, 9);
				const turn = (Math.atan2(z, x) - (2 * Math.PI * i) / items.length) / (2 * Math.PI);
				expect(Math.abs(turn - Math.round(turn)), `case seed ${seed}, item ${i}`).toBeLessThan(1e-9);
			});
			// One part in a million smaller and some pair comes closer than the spacing.
			const shrunk = boxes.map((box, i) => {
				const [dx, dz] = centres[i].map((c) => c * -1e-6);
				return { min: [box.min[0] + dx, box.min[1], box.min[2] + dz], max: [box.max[0] + dx, box.max[1], box.max[2] + dz] } as Box;
			});
			const closest = Math.min(...shrunk.flatMap((a, i) => shrunk.slice(i + 1).map((b) => groundGap(a, b))));
			expect(closest, `case seed ${seed}`).toBeLessThan(spacing);
		}
	});

	it('handles neighbours that are apart while objects across the circle would touch', () => {
		// A long thin object and three small ones: the pairs next to each other fit on a small circle, the long
		// object and the one opposite it do not.
		const item = (id: string, size: Vec3): LayoutItem => ({ id, bounds: { min: [-size[0] / 2, 0, -size[2] / 2], max: [size[0] / 2, size[1], size[2] / 2] }, transform: { position: [0, 0, 0], rotation: [0, 0, 0], scale: [1, 1, 1] } });
		const items = [item('long', [10, 1, 0.1]), item('a', [0.1, 1, 0.1]), item('b', [0.1, 1, 0.1]), item('c', [0.1, 1, 0.1])];
		const placed = layout(items, 0, { mode: 'circle', spacing: 0.25 });
		expect(violations(items, 0, 0.25, placed)).toEqual([]);
		expect(placed.get('long')!.position[0]).toBeCloseTo(2.65, 9);
	});

	it('keeps the result in item order, whatever order the ids sort in', () => {
		const items = randomItems(generator(3), 6).map((item, i) => ({ ...item, id: ['z', 'b', '10', '2', 'a', '-'][i] }));
		expect([...layout(items, 0, { mode: 'scatter' }).keys()]).toEqual(['z', 'b', '10', '2', 'a', '-']);
	});

	it('refuses bad options and degenerate boxes with E_BAD_MESSAGE', () => {
		const items = randomItems(generator(9), 3);
		const withItem = (change: (item: LayoutItem) => void) => {
			const copy = structuredClone(items);
			change(copy[1]);
			return copy;
		};
		const refused: Array<[string, () => unknown]> = [
			['unknown mode', () => layout(items, 0, { mode: 'spiral' as LayoutMode })],
			['NaN spacing', () => layout(items, 0, { spacing: Number.NaN })],
			['negative spacing', () => layout(items, 0, { spacing: -0.1 })],
			['infinite spacing', () => layout(items, 0, { spacing: Infinity })],
			['infinite seed', () => layout(items, 0, { mode: 'scatter', seed: Infinity })],
			['infinite ground', () => layout(items, Infinity)],
			['NaN ground', () => layout(items, Number.NaN)],
			['NaN in a box', () => layout(withItem((item) => (item.bounds.min[2] = Number.NaN)), 0)],
			['infinite box', () => layout(withItem((item) => (item.bounds.max[0] = Infinity)), 0)],
			['inverted box', () => layout(withItem((item) => (item.bounds = { min: [0, 1, 0], max: [1, 0, 1] })), 0)],
			['a point for a box', () => layout(withItem((item) => (item.bounds = { min: [1, 2, 3], max: [1, 2, 3] })), 0)],
			['zero scale', () => layout(withItem((item) => (item.transform.scale = [0, 0, 0])), 0)],
			['NaN rotation', () => layout(withItem((item) => (item.transform.rotation[1] = Number.NaN)), 0)],
			['infinite position', () => layout(withItem((item) => (item.transform.position[0] = -Infinity)), 0)],
			['overflowing box', () => layout(withItem((item) => Object.assign(item, { bounds: { min: [-1.7e308, 0, 0], max: [1.7e308, 1, 1] }, transform: { position: [0, 0, 0], rotation: [0, 0, 0], scale: [1, 1, 1] } })), 0)],
			['repeated id', () => layout(withItem((item) => (item.id = items[0].id)), 0)],
		];
		for (const [what, run] of refused) expect(codeOf(run), what).toBe('E_BAD_MESSAGE');
	});

	it('accepts flat boxes, zero spacing and any integer seed', () => {
		const items = randomItems(generator(21), 8);
		items[0].bounds = { min: [-0.5, 0, 0], max: [0.5, 1, 0] };
		for (const mode of LAYOUT_MODES) {
			for (const seed of [0, -1, 2 ** 40]) {
				expect(violations(items, 0, 0, layout(items, 0, { mode, seed, spacing: 0 })), `${mode}, seed ${seed}`).toEqual([]);
			}
		}
	});
});
