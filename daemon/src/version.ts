// Versions reported by the CLI and the daemon, and stamped into every generated asset.
import { version } from '../../package.json';

/** Release version of Orfeas: package.json's. */
export const VERSION: string = version;

/**
 * Version of the generation pipeline's output. Bump it whenever the same image and options would give a
 * different model: it is part of every content-addressed asset id, so old cache entries stop matching.
 */
export const PIPELINE_VERSION = 1;
