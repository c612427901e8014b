// Times carveViews on four 512² views (front, right, back, top) of two solids, after a warm-up, in CPU time of
// this (single-threaded) process, so other work on the machine does not count:
//   npx tsx test/generators/views/time.ts [resolutions, default 96,128,160,192,256]
import { carveViews } from '../../../daemon/src/generators/views/carve';
import { analyzeTopology } from '../../../daemon/src/geometry/topology';
import { quietContext } from '../../../daemon/src/pipeline/types';
import { renderViews, SOLIDS } from './shapes';

const resolutions = (process.argv[2] ?? '96,128,160,192,256').split(',').map(Number);
const RUNS = 5;
for (const name of ['sphere', 'quadruped']) {
	const solid = SOLIDS.find((s) => s.name === name)!;
	const views = renderViews(solid, ['front', 'right', 'back', 'top'], { size: 512, scale: 240 });
	for (let warm = 0; warm < 3; warm++) carveViews(views, { resolution: 128 }, quietContext());
	for (const resolution of resolutions) {
		const times: number[] = [];
		const stages = new Map<string, number[]>();
		let result = carveViews(views, { resolution }, quietContext());
		for (let run = 0; run < RUNS; run++) {
			const cpu = () => {
				const { user, system } = process.cpuUsage();
				return (user + system) / 1000;
			};
			let last = cpu();
			let lastFraction = 0;
			const t0 = last;
			result = carveViews(views, { resolution }, {
				signal: new AbortController().signal,
				progress: (f) => {
					// Progress marks: 0.15 rounding judged, 0.3 planes, 0.6 field, 0.9 marched, 1 parts.
					if ([0.15, 0.3, 0.6, 0.9, 1].includes(f) && f !== lastFraction) {
						const now = cpu();
						const list = stages.get(String(f)) ?? [];
						list.push(now - last);
						stages.set(String(f), list);
						last = now;
						lastFraction = f;
					}
				},
			});
			times.push(cpu() - t0);
		}
		const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
		const topology = analyzeTopology(result.mesh.positions, result.mesh.indices);
		const parts = [...stages].map(([f, list]) => `${f}: ${median(list).toFixed(0)}`).join(', ');
		console.log(
			`${name} res ${resolution}: ${median(times).toFixed(0)} ms (${parts}); ${result.mesh.indices.length / 3} triangles, watertight ${topology.watertight}, genus ${topology.genus}`,
		);
	}
}
