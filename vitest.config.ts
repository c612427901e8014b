// Tests live under test/; scratch files elsewhere (out/, a checkout's leftovers) are never collected.
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
	},
});
