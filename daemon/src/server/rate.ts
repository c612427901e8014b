// Per-connection message rate: a token bucket refilled at `rate` per second holding at most `burst`.

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
