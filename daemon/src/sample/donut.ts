// The built-in sample picture: a glazed donut drawn as SVG and rendered by sharp, so `orfeas generate` works
// on a fresh machine with no image at hand. Its hole shows off real tunnels; its icing shows the texture.
import sharp from 'sharp';

export const SAMPLE_NAME = 'orfeas-sample';

const SPRINKLES = [
	[330, 250, 20, '#ffd54f'], [420, 210, -35, '#4fc3f7'], [560, 215, 60, '#81c784'], [660, 270, -10, '#ffffff'],
	[735, 370, 45, '#ba68c8'], [760, 500, -60, '#ffd54f'], [730, 640, 15, '#4fc3f7'], [640, 740, -40, '#81c784'],
	[510, 780, 70, '#ffffff'], [380, 745, -20, '#ba68c8'], [285, 650, 35, '#ffd54f'], [245, 520, -50, '#4fc3f7'],
	[265, 385, 10, '#81c784'], [470, 300, 80, '#ff8a65'], [610, 330, -75, '#ffd54f'], [655, 470, 25, '#4fc3f7'],
	[600, 640, -15, '#ff8a65'], [455, 690, 55, '#ffd54f'], [345, 560, -80, '#81c784'], [360, 430, 40, '#ff8a65'],
] as const;

function sampleSvg(): string {
	const sprinkles = SPRINKLES.map(
		([x, y, angle, colour]) =>
			`<rect x="${x - 22}" y="${y - 7}" width="44" height="14" rx="7" fill="${colour}" transform="rotate(${angle} ${x} ${y})"/>`,
	).join('');
	return `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <defs>
    <radialGradient id="dough" cx="0.45" cy="0.4" r="0.65">
      <stop offset="0" stop-color="#f3c27a"/><stop offset="0.7" stop-color="#d9954a"/><stop offset="1" stop-color="#a8642a"/>
    </radialGradient>
    <radialGradient id="icing" cx="0.42" cy="0.38" r="0.6">
      <stop offset="0" stop-color="#ffc1dc"/><stop offset="0.75" stop-color="#f06292"/><stop offset="1" stop-color="#c2185b"/>
    </radialGradient>
    <mask id="hole"><rect width="1024" height="1024" fill="white"/><circle cx="512" cy="512" r="135" fill="black"/></mask>
  </defs>
  <g mask="url(#hole)">
    <circle cx="512" cy="512" r="400" fill="url(#dough)"/>
    <path fill="url(#icing)" d="M512 150 C600 150 640 170 700 200 C760 240 800 260 830 330 C860 400 850 450 860 510
      C870 580 840 620 810 680 C780 740 740 760 690 800 C630 840 580 860 512 862 C440 864 400 840 340 810
      C280 780 240 750 210 690 C180 630 170 580 168 512 C166 440 190 400 210 340 C240 280 270 240 330 205
      C390 170 440 150 512 150 Z"/>
    ${sprinkles}
  </g>
  <circle cx="512" cy="512" r="135" fill="none" stroke="#a8642a" stroke-width="18" mask="url(#hole)"/>
</svg>`;
}

/** Renders the sample picture as a PNG with a transparent background, `size` pixels square. */
export async function renderSample(size = 1024): Promise<Buffer> {
	return sharp(Buffer.from(sampleSvg()), { density: (72 * size) / 1024 }).resize(size, size).png().toBuffer();
}
