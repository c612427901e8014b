// The ending every command-line script here shares: the exit code main() resolves to, or 1 with the error
// printed when it throws.
export function runMain(main: () => Promise<number>): void {
	main().then(
		(code) => {
			process.exitCode = code;
		},
		(error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		},
	);
}
