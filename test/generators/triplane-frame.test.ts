// The picture a triplane model sees and the way its world becomes ours (generators/triplane/frame.ts): the subject
// framed at the manifest's foreground ratio on its grey, as TripoSR's run.py does it, and model axes mapped to
// ours with mirrors detected.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { axisMap, frameSubject, toModel, toOurs } from '../../daemon/src/generators/triplane/frame';
import { decode } from '../../daemon/src/pipeline/decode';
import { segment } from '../../daemon/src/pipeline/segment';
import { quietContext } from '../../daemon/src/pipeline/types';

/** A 300×200 transparent picture holding an opaque red rectangle 120 wide and 60 tall, off-centre. */
async function rectangle(): Promise<Buffer> {
	const data = Buffer.alloc(300 * 200 * 4);
	for (let y = 30; y < 90; y++) for (let x = 150; x < 270; x++) data.set([220, 30, 30, 255], (y * 300 + x) * 4);
	return sharp(data, { raw: { width: 300, height: 200, channels: 4 } }).png().toBuffer();
}

describe('frameSubject', () => {
	it('centres the subject at 0.85 of a square on grey 0.5, as TripoSR frames its input', async () => {
		const decoded = await decode(await rectangle(), {}, quietContext());
		const framed = frameSubject(decoded, segment(decoded, {}, quietContext()), { foregroundRatio: 0.85, background: [0.5, 0.5, 0.5] });
		expect(framed.width).toBe(framed.height);
		let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
		for (let y = 0; y < framed.height; y++) {
			for (let x = 0; x < framed.width; x++) {
				const o = (y * framed.width + x) * 4;
				if (framed.data[o] > 180 && framed.data[o + 1] < 80) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
			}
		}
		const side = framed.width;
		// The rectangle's longer side is 0.85 of the picture; it sits in the middle both ways.
		expect(Math.abs((x1 - x0 + 1) / side - 0.85)).toBeLessThan(0.02);
		expect(Math.abs((y1 - y0 + 1) / side - 0.85 / 2)).toBeLessThan(0.02);
		expect(Math.abs((x0 + x1) / 2 - side / 2)).toBeLessThan(2);
		expect(Math.abs((y0 + y1) / 2 - side / 2)).toBeLessThan(2);
		expect([...framed.data.subarray(0, 4)]).toEqual([128, 128, 128, 255]);
		const last = (side * side - 1) * 4;
		expect([...framed.data.subarray(last, last + 4)]).toEqual([128, 128, 128, 255]);
	});
});

describe('axisMap', () => {
	it("maps TripoSR's world (right +y, up +z, front +x) to ours without a mirror, and back", () => {
		const map = axisMap({ right: '+y', up: '+z', front: '+x' });
		expect(map.mirrors).toBe(false);
		const ours = toOurs(Float32Array.of(0.1, 0.2, 0.3), map);
		expect([...ours].map((v) => +v.toFixed(6))).toEqual([0.2, 0.3, 0.1]);
		expect([...toModel(ours, map)].map((v) => +v.toFixed(6))).toEqual([0.1, 0.2, 0.3]);
	});

	it('knows a mirrored frame: one flipped axis or two swapped ones', () => {
		expect(axisMap({ right: '-y', up: '+z', front: '+x' }).mirrors).toBe(true);
		expect(axisMap({ right: '+x', up: '+z', front: '+y' }).mirrors).toBe(true);
		expect(axisMap({ right: '-x', up: '+y', front: '-z' }).mirrors).toBe(false);
	});
});
