// OpenAPI 3.1 description of the HTTP routes, generated from the same zod schemas the daemon validates with,
// so the document cannot drift from the code.
import { z } from 'zod';
import { VERSION } from '../version';
import { ErrorCodeSchema, Job } from './events';
import { GenerateRequest, UploadId, JobId } from './messages';

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => {
	const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
	return rest;
};

const ErrorBody = z.object({ type: z.literal('error'), code: ErrorCodeSchema, message: z.string(), details: z.record(z.string(), z.unknown()).optional() });
const Accepted = z.object({ jobId: JobId, position: z.number().int(), cached: z.boolean() });
const Health = z.object({
	ok: z.boolean(),
	version: z.string(),
	uptimeMs: z.number(),
	/** The daemon's process id and start time, as in daemon.json: equal values mean it is the daemon that file describes. */
	pid: z.number().int().optional(),
	startedAt: z.string().optional(),
});

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (description: string, ref: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const secured = [{ bearer: [] }];

export function openApiDocument(): Record<string, unknown> {
	return {
		openapi: '3.1.0',
		info: { title: 'Orfeas daemon', version: VERSION, description: 'Local image-to-3D daemon. WebSocket protocol at /v1/ws; these are the HTTP routes.' },
		servers: [{ url: 'http://127.0.0.1:7878' }],
		components: {
			securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token from $ORFEAS_HOME/daemon.json.' } },
			schemas: {
				Error: schema(ErrorBody),
				Job: schema(Job),
				GenerateRequest: schema(z.object(GenerateRequest), 'input'),
				Accepted: schema(Accepted),
				Upload: schema(z.object({ uploadId: UploadId })),
				Health: schema(Health),
			},
		},
		paths: {
			'/health': { get: { summary: 'Liveness and version', responses: { 200: json('The daemon is up.', 'Health') } } },
			'/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
			'/metrics': {
				get: { summary: 'Prometheus metrics', security: secured, responses: { 200: { description: 'Prometheus text format' }, 401: error('Missing or wrong token') } },
			},
			'/v1/uploads': {
				post: {
					summary: 'Upload a picture for a later generate',
					security: secured,
					requestBody: { required: true, content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } },
					responses: { 201: json('Stored; use the id once within an hour.', 'Upload'), 400: error('Not an image'), 401: error('Missing or wrong token'), 413: error('Over the size cap'), 422: error('Not a readable image') },
				},
			},
			'/v1/jobs': {
				post: {
					summary: 'Queue a generation (same as the generate message)',
					security: secured,
					requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/GenerateRequest' } } } },
					responses: { 202: json('Queued, or answered from the cache.', 'Accepted'), 400: error('Invalid request or path'), 401: error('Missing or wrong token'), 404: error('Unknown upload or model'), 503: error('Queue full') },
				},
			},
			'/v1/jobs/{id}': {
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				get: { summary: 'A job', security: secured, responses: { 200: json('The job.', 'Job'), 404: error('Unknown job') } },
				delete: { summary: 'Cancel a job', security: secured, responses: { 200: { description: 'Cancelling; the job ends cancelled.' }, 404: error('Unknown job'), 409: error('Already finished') } },
			},
			'/v1/assets/{assetId}/{file}': {
				parameters: [
					{ name: 'assetId', in: 'path', required: true, schema: { type: 'string' } },
					{ name: 'file', in: 'path', required: true, schema: { type: 'string' } },
				],
				get: {
					summary: 'Download an output file (Range and ETag supported)',
					security: secured,
					responses: { 200: { description: 'The file' }, 206: { description: 'The requested range' }, 404: error('Unknown asset or file') },
				},
			},
		},
	};
}
