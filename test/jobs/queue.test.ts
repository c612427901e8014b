import { describe, expect, it } from 'vitest';
import { JobQueue } from '../../daemon/src/jobs/queue';

describe('JobQueue', () => {
	it('serves higher priority first, first come first served within a priority', () => {
		const q = new JobQueue(10);
		q.push('a', 'normal');
		q.push('b', 'low');
		q.push('c', 'high');
		q.push('d', 'normal');
		q.push('e', 'high');
		expect(q.ids()).toEqual(['c', 'e', 'a', 'd', 'b']);
		expect(q.position('d')).toBe(3);
		expect(q.shift()).toBe('c');
		expect(q.position('d')).toBe(2);
	});

	it('refuses past its limit unless forced (recovered jobs), and removes by id', () => {
		const q = new JobQueue(2);
		expect(q.push('a', 'normal')).toBe(true);
		expect(q.push('b', 'normal')).toBe(true);
		expect(q.full).toBe(true);
		expect(q.push('c', 'high')).toBe(false);
		expect(q.push('d', 'low', true)).toBe(true);
		expect(q.remove('a')).toBe(true);
		expect(q.remove('a')).toBe(false);
		expect(q.ids()).toEqual(['b', 'd']);
		expect(q.position('zzz')).toBe(-1);
	});
});
