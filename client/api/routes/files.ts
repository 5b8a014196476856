// Uploads for the JSON API: files go in first (multipart, field "files"), the submission then
// names them by hash. The pages upload and submit in one form instead.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { actorOf } from '../plugins/actor.js';
import { readMultipart } from '../uploads.js';
import { errorResponse, fileRef } from '../schemas/cycle.js';

export function fileRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance) => {
    app.post('/api/files', {
      schema: {
        summary: 'Upload files (multipart/form-data, field "files"); returns their references for a submission',
        description: `Limits: PORTAL_MAX_UPLOAD_MB per file, types PORTAL_UPLOAD_TYPES (default ${ctx.settings.uploadTypes.join(', ')}).`,
        tags: ['deliverables'], consumes: ['multipart/form-data'],
        response: { 201: { type: 'array', items: fileRef }, 400: errorResponse, 401: errorResponse, 413: errorResponse },
      },
    }, async (request, reply) => {
      actorOf(request);
      const { files } = await readMultipart(ctx, request);
      return reply.status(201).send(files);
    });
  };
}
