// GLB writer: the binary glTF container, through glTF-Transform's NodeIO.
import { Document, NodeIO } from '@gltf-transform/core';

export const NAME = 'glb';

/** Serialises a document to GLB bytes. */
export async function writeGlb(doc: Document): Promise<Uint8Array> {
	return new NodeIO().writeBinary(doc);
}
