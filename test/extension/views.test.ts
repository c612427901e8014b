// Several views of one object in the extension (extension/src/views.ts): views read from file names, the rest asked,
// the daemon's rules on a set of views said before anything is sent, model names, and a sheet's views typed in.
import { describe, expect, it } from 'vitest';
import { checkViewSet } from '../../daemon/src/protocol/views';
import { assignViews, modelNameFromFront, parseSheetViews, SHEET_LAYOUTS, sheetViewsProblem, viewOfFile, VIEW_NAMES, type ViewName } from '../../extension/src/views';

/** An AskView that answers from a table by file name and records what it offered. */
function answers(table: Record<string, ViewName | undefined>) {
	const asked: Array<{ file: string; offered: readonly ViewName[] }> = [];
	const ask = async (file: string, offered: readonly ViewName[]) => {
		asked.push({ file, offered });
		return table[file];
	};
	return { ask, asked };
}

const same = (file: string) => file;
const never = async (): Promise<ViewName | undefined> => {
	throw new Error('asked, though every name says its view');
};

describe('views from file names', () => {
	it('reads a _view, -view or " view" suffix before the extension, in any case', () => {
		expect(viewOfFile('/w/chair_front.png')).toBe('front');
		expect(viewOfFile('/w/chair-Right.JPG')).toBe('right');
		expect(viewOfFile('/w/old chair back.webp')).toBe('back');
		expect(viewOfFile('/w/chair_TOP.tiff')).toBe('top');
		expect(viewOfFile('/w/my_left_chair_left.png')).toBe('left');
		expect(viewOfFile('C:/pics/chair_left.png')).toBe('left');
	});

	it('reads no view from names that only contain one', () => {
		for (const file of ['/w/chair.png', '/w/front.png', '/w/chairfront.png', '/w/chair_front_2.png', '/w/chair_fronts.png', '/w/chair.front.png', '/w/chair_front']) {
			expect(viewOfFile(file), file).toBe(file === '/w/chair_front' ? 'front' : undefined);
		}
	});

	it('names the model after the front picture without its suffix', () => {
		expect(modelNameFromFront('/w/chair_front.png')).toBe('chair');
		expect(modelNameFromFront('/w/Old Chair-FRONT.jpg')).toBe('Old Chair');
		expect(modelNameFromFront('/w/chair.v2 front.png')).toBe('chair.v2');
		expect(modelNameFromFront('/w/crate__front.png')).toBe('crate');
		// A front picked by hand has no suffix to drop; a name that is only a suffix keeps it.
		expect(modelNameFromFront('/w/chair.png')).toBe('chair');
		expect(modelNameFromFront('/w/_front.png')).toBe('_front');
	});
});

describe('assigning views to pictures', () => {
	it('takes every view from the names without asking, the front apart and the others in a fixed order', async () => {
		const set = await assignViews(['/w/crate_top.png', '/w/crate_front.png', '/w/crate-right.png'], same, never);
		expect(set).toEqual({ front: '/w/crate_front.png', views: [{ view: 'right', picture: '/w/crate-right.png' }, { view: 'top', picture: '/w/crate_top.png' }] });
		expect(() => checkViewSet(set!.views, undefined)).not.toThrow();
	});

	it('asks for the pictures whose names say no view, offering only the views still free', async () => {
		const { ask, asked } = answers({ '/w/a.png': 'front', '/w/b.png': 'top' });
		const set = await assignViews(['/w/a.png', '/w/chair_back.png', '/w/b.png'], same, ask);
		expect(asked).toEqual([
			{ file: '/w/a.png', offered: ['front', 'left', 'right', 'top'] },
			{ file: '/w/b.png', offered: ['left', 'right', 'top'] },
		]);
		expect(set).toEqual({ front: '/w/a.png', views: [{ view: 'back', picture: '/w/chair_back.png' }, { view: 'top', picture: '/w/b.png' }] });
	});

	it('works on any picture type through the name it is given', async () => {
		const pictures = [{ path: '/w/x_front.png' }, { path: '/w/x_left.png' }];
		const set = await assignViews(pictures, (p) => p.path, never);
		expect(set?.front).toBe(pictures[0]);
		expect(set?.views[0].picture).toBe(pictures[1]);
	});

	it('gives up quietly when the user closes a question', async () => {
		const { ask } = answers({});
		expect(await assignViews(['/w/a.png', '/w/a_front.png'], same, ask)).toBeUndefined();
	});

	it('refuses one side twice, naming both pictures', async () => {
		await expect(assignViews(['/w/c_front.png', '/w/c_left.png', '/w/c-Left.jpg'], same, never)).rejects.toThrow(/^c_left\.png and c-Left\.jpg are both the left view\. Select one picture per side\.$/);
		await expect(assignViews(['/w/c_front.png', '/w/other_front.png'], same, never)).rejects.toThrow(/both the front view/);
	});

	it('refuses a set without a front, before asking anything when every name says its view', async () => {
		await expect(assignViews(['/w/c_left.png', '/w/c_back.png'], same, never)).rejects.toThrow(/^None of c_left\.png, c_back\.png is the front view, and one must be: name the front picture like c_front\.png, or select it too\.$/);
		const { ask } = answers({ '/w/a.png': 'top' });
		await expect(assignViews(['/w/a.png', '/w/c_back.png'], same, ask)).rejects.toThrow(/is the front view/);
	});

	it('needs two to five pictures', async () => {
		await expect(assignViews(['/w/c_front.png'], same, never)).rejects.toThrow(/at least two pictures.*Generate 3D Model from Image/);
		const six = [...VIEW_NAMES.map((v) => `/w/c_${v}.png`), '/w/c.png'];
		await expect(assignViews(six, same, never)).rejects.toThrow(/^6 pictures are selected, but an object has 5 views \(front, back, left, right, top\)/);
		const five = await assignViews(VIEW_NAMES.map((v) => `/w/c_${v}.png`), same, never);
		expect(five?.views.map((v) => v.view)).toEqual(['back', 'left', 'right', 'top']);
	});
});

describe("a sheet's views", () => {
	it('offers common layouts the daemon accepts', () => {
		for (const layout of SHEET_LAYOUTS) {
			expect(sheetViewsProblem(layout.join(','))).toBeUndefined();
			expect(() => checkViewSet(undefined, [...layout])).not.toThrow();
		}
		expect(SHEET_LAYOUTS.map((l) => l.join(','))).toEqual(['front,right,back', 'front,right', 'front,left,back,right', 'front,right,back,top']);
	});

	it('reads a typed comma list, spaces and case aside', () => {
		expect(parseSheetViews(' Front, right ,BACK ')).toEqual(['front', 'right', 'back']);
		expect(parseSheetViews('left,front,right,back,top')).toEqual(['left', 'front', 'right', 'back', 'top']);
	});

	it('says what is wrong with a list the daemon would refuse', () => {
		expect(sheetViewsProblem('')).toMatch(/separated by commas, e\.g\. front,right,back/);
		expect(sheetViewsProblem('front,,back')).toMatch(/separated by commas/);
		expect(sheetViewsProblem('front,side,under')).toBe('side, under are not views; the views are front, back, left, right, top.');
		expect(sheetViewsProblem('front,bottom')).toBe('bottom is not a view; the views are front, back, left, right, top.');
		expect(sheetViewsProblem('front,right,front')).toBe('The front view is named twice; name each view once.');
		expect(sheetViewsProblem('front')).toMatch(/at least two views/);
		expect(sheetViewsProblem('left,right')).toBe('The views must include the front.');
		expect(() => parseSheetViews('left,right')).toThrow('The views must include the front.');
	});
});
