// The ids of protocol v1, declared once: requests, jobs, assets, uploads, models, scenes. messages.ts re-exports
// them; scene.ts uses them without importing the message schemas (which import scene.ts).
import { z } from 'zod';

/** A request id chosen by the client, unique per connection, echoed as `re`. */
export const RequestId = z.string().min(1).max(64);
export const JobId = z.string().regex(/^j_[a-z0-9]{20}$/, 'a job id such as j_0123456789abcdefghij');
export const AssetId = z.string().regex(/^[a-f0-9]{64}$/, 'an asset id (64 hex digits)');
export const UploadId = z.string().regex(/^u_[a-z0-9]{20}$/, 'an upload id such as u_0123456789abcdefghij');
export const ModelId = z.string().min(1).max(200);
export const SceneId = z.string().regex(/^sc_[a-z0-9]{20}$/, 'a scene id such as sc_0123456789abcdefghij');
