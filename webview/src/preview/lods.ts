// Finds LOD levels and colliders in a loaded glTF scene by the names Orfeas's export profiles give them
// (daemon/src/export/profiles.ts): a node `Name` whose children are `Name_LOD0…n`, and a collider child named
// `Name_Collider`, `UCX_Name_00` or `Name-convcolonly`. Pure: three.js objects in, visibility flags out.
import type { Object3D } from 'three';

const LOD_SUFFIX = /_LOD(\d+)$/i;
// Unreal's UCX_ prefix, Godot's -col / -colonly / -convcolonly suffixes, and any name that says "collider".
const COLLIDER = /^UCX_|collider|-(conv)?col(only)?$/i;

/**
 * The name the file gave a node. GLTFLoader makes names unique (`Ball` twice becomes `Ball_1`) and strips
 * characters three.js reserves for animation paths; the original survives in `userData.name`.
 */
export function nodeName(node: Object3D): string {
	const original = node.userData?.name;
	return typeof original === 'string' ? original : node.name;
}

/** The level a node's name declares (`Ball_LOD2` → 2), or undefined. */
export function lodLevel(name: string): number | undefined {
	const match = LOD_SUFFIX.exec(name);
	return match ? Number(match[1]) : undefined;
}

export function isCollider(name: string): boolean {
	return COLLIDER.test(name);
}

/**
 * The LOD levels under `root`, finest first: the children `X_LOD<n>` of the first node (depth first) that has
 * any, sorted by n. A scene without such children is one level, `root` itself. Orfeas writes one object per
 * file, so a second LOD group elsewhere in a foreign file is left as loaded (all its levels visible).
 */
export function levels(root: Object3D): Object3D[] {
	let found: Object3D[] | undefined;
	root.traverse((node) => {
		if (found) return;
		const named = node.children.filter((child) => lodLevel(nodeName(child)) !== undefined);
		if (named.length > 0) found = named.sort((a, b) => lodLevel(nodeName(a))! - lodLevel(nodeName(b))!);
	});
	return found ?? [root];
}

/** Shows level `index` and hides the others; an index out of range is clamped. Returns the level shown. */
export function showLevel(lodLevels: readonly Object3D[], index: number): number {
	const shown = Math.min(Math.max(0, Math.trunc(index) || 0), lodLevels.length - 1);
	lodLevels.forEach((level, i) => (level.visible = i === shown));
	return shown;
}

/** Hides every collider node under `root` (they are for physics, not for looking at); returns how many. */
export function hideColliders(root: Object3D): number {
	let hidden = 0;
	root.traverse((node) => {
		if (node !== root && isCollider(nodeName(node))) {
			node.visible = false;
			hidden++;
		}
	});
	return hidden;
}
