// What the scene view draws for an object without a model to show: a 1 m box standing on the object's origin
// (bottom centre, where a generated model would stand), tinted by why — a picture not generated yet, a picture
// whose model lives in the daemon, a model file that could not be read, or one still on its way.
import { BoxGeometry, EdgesGeometry, Group, LineBasicMaterial, LineSegments, Mesh, MeshStandardMaterial } from 'three';

export type PlaceholderKind = 'picture' | 'built' | 'failed' | 'pending';

const COLORS: Record<PlaceholderKind, number> = { picture: 0x3b82c4, built: 0x3bc48a, failed: 0xc44b3b, pending: 0x888888 };

// Shared by every placeholder; never disposed (they are tiny and live as long as the page).
const box = new BoxGeometry(1, 1, 1).translate(0, 0.5, 0);
const edges = new EdgesGeometry(box);
const fills = new Map<PlaceholderKind, MeshStandardMaterial>();
const lines = new Map<PlaceholderKind, LineBasicMaterial>();
const hidden = new MeshStandardMaterial({ visible: false });

/** A fresh placeholder group for `kind`; its meshes can be picked like a model's. */
export function placeholder(kind: PlaceholderKind): Group {
	const group = new Group();
	group.name = `placeholder:${kind}`;
	if (kind !== 'pending') {
		let fill = fills.get(kind);
		if (!fill) fills.set(kind, (fill = new MeshStandardMaterial({ color: COLORS[kind], transparent: true, opacity: 0.35, roughness: 0.9, depthWrite: false })));
		group.add(new Mesh(box, fill));
	} else {
		// Something to click even before the bytes arrive, but not drawn.
		group.add(new Mesh(box, hidden));
	}
	let line = lines.get(kind);
	if (!line) lines.set(kind, (line = new LineBasicMaterial({ color: COLORS[kind] })));
	group.add(new LineSegments(edges, line));
	return group;
}

/** The label under a placeholder, e.g. `cat · picture, not generated yet`. */
export function placeholderLabel(kind: PlaceholderKind, name: string, reason?: string): string {
	switch (kind) {
		case 'picture':
			return `${name} · picture, not generated yet`;
		case 'built':
			return `${name} · generated from its picture`;
		case 'failed':
			return `${name} · ${reason ?? 'model not available'}`;
		case 'pending':
			return `${name} · loading…`;
	}
}
