// Message rates: a token bucket refilled at `rate` per second holding at most `burst`, one per connection, and
// one per authenticated user or worker across all of its connections (HTTP requests and WebSocket messages).
import type { Principal } from './users';

export class RateLimiter {
	private tokens: number;
	private last = performance.now();

	constructor(
		private readonly rate: number,
		private readonly burst: number = rate * 2,
	) {
		this.tokens = burst;
	}

	/** Takes one token; false when the connection is over its rate. */
	take(): boolean {
		const now = performance.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
		this.last = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}

/** One bucket per remote user or worker, shared by its connections; the daemon's own clients are not counted. */
export class UserRateLimiter {
	private readonly buckets = new Map<string, RateLimiter>();

	constructor(
		readonly rate: number,
		private readonly burst: number = rate * 2,
	) {}

	/** Takes one token from the principal's bucket; false when it is over its rate. */
	take(principal: Principal): boolean {
		if (principal.role === 'local') return true;
		const key = `${principal.role}:${principal.name}`;
		let bucket = this.buckets.get(key);
		if (!bucket) this.buckets.set(key, (bucket = new RateLimiter(this.rate, this.burst)));
		return bucket.take();
	}
}
