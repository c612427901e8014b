import { describe, expect, it } from 'vitest';
import { contains, Home, inside } from '../../daemon/src/jobs/home';

describe('home paths', () => {
	it('contains() accepts the folder and what is beneath it, nothing else', () => {
		expect(contains('/data/home', '/data/home')).toBe(true);
		expect(contains('/data/home', '/data/home/assets/x/y.glb')).toBe(true);
		expect(contains('/data/home', '/data/home/../home2/x')).toBe(false);
		expect(contains('/data/home', '/data/homeless')).toBe(false);
		expect(contains('/data/home', '/etc/passwd')).toBe(false);
		// A name that begins with two dots is not a step up.
		expect(contains('/data/home', '/data/home/..x.png')).toBe(true);
		expect(contains('/data/home', '/data/home/..')).toBe(false);
	});

	it('inside() refuses names that would leave the folder', () => {
		const home = new Home('/data/home');
		expect(home.assetDir('abc')).toBe('/data/home/assets/abc');
		expect(() => home.assetDir('../daemon.json')).toThrow();
		expect(() => home.jobDir('..')).toThrow();
		expect(() => inside('/data/home/jobs', '')).toThrow();
		expect(() => inside('/data/home/jobs', '/etc')).not.toThrow();
		expect(inside('/data/home/jobs', '/etc')).toBe('/data/home/jobs/etc');
	});
});
