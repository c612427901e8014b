// Scores carving variants on the known solids (shapes.ts) seen from several views: volume IoU on a 64³ grid,
// Chamfer distance (% of the bounding-box diagonal), the worst view agreement and the time per carve.
//   npx tsx test/generators/views/score.ts [--views front,back,left,right,top] [--resolution 128]
//     [--variants hull,fixed:0.5,fixed:1,judged:1] [--shapes sphere,cube]
// `hull` is rounding 0; `fixed:r` rounds every plane by r; `judged:r[:u]` lets the views choose up to r (the
// default), planes no view lies in getting r·u.
import { carveViews, type CarveOptions } from '../../../daemon/src/generators/views/carve';
import type { ViewName } from '../../../daemon/src/generators/views/frame';
import { quietContext } from '../../../daemon/src/pipeline/types';
import { chamfer, toWorld, truthSurface, volumeIoU } from './scorer';
import { renderViews, SOLIDS } from './shapes';

const args = new Map<string, string>();
for (let i = 2; i + 1 < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const views = (args.get('views') ?? 'front,back,left,right,top').split(',') as ViewName[];
const resolution = Number(args.get('resolution') ?? 128);
const variants = (args.get('variants') ?? 'hull,fixed:0.5,fixed:1,judged:1').split(',');
const optionsOf = (variant: string): Partial<CarveOptions> => {
	const [kind, value, unseen] = variant.split(':');
	if (kind === 'hull') return { rounding: 0 };
	return { rounding: Number(value), judge: kind === 'judged', ...(unseen ? { unseenRounding: Number(unseen) } : {}) };
};
const only = args.get('shapes')?.split(',');
const SIZE = 256;
const SCALE = 120;

const rows: string[][] = [];
const sums = variants.map(() => ({ iou: 0, chamfer: 0, agreement: 1 }));
const solids = SOLIDS.filter((s) => !only || only.includes(s.name));
for (const solid of solids) {
	const silhouettes = renderViews(solid, views, { size: SIZE, scale: SCALE });
	const truth = truthSurface(solid);
	const row = [solid.name];
	variants.forEach((variant, r) => {
		const t0 = performance.now();
		const result = carveViews(silhouettes, { resolution, minAgreement: 0, ...optionsOf(variant) }, quietContext());
		const ms = performance.now() - t0;
		const world = toWorld(result.mesh, result.frames, SIZE, SCALE);
		const iou = volumeIoU(world, solid);
		const cd = chamfer(world, truth, solid);
		const agreement = Math.min(...Object.values(result.agreement));
		sums[r].iou += iou / solids.length;
		sums[r].chamfer += cd / solids.length;
		sums[r].agreement = Math.min(sums[r].agreement, agreement);
		const planes = result.rounding ? `, r ${result.rounding.map((v) => v.toFixed(2)).join('/')}` : '';
		row.push(`${iou.toFixed(3)} / ${cd.toFixed(2)} (${ms.toFixed(0)} ms${planes})`);
	});
	rows.push(row);
	console.log(row.join(' | '));
}
console.log(`\nviews ${views.join(',')}, resolution ${resolution}; cells: volume IoU / Chamfer % of diagonal (carve time)`);
console.log(`| shape | ${variants.join(' | ')} |`);
console.log(`| --- | ${variants.map(() => '---').join(' | ')} |`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(`| mean | ${sums.map((s) => `${s.iou.toFixed(3)} / ${s.chamfer.toFixed(2)}`).join(' | ')} |`);
console.log(`| worst view agreement | ${sums.map((s) => s.agreement.toFixed(3)).join(' | ')} |`);
