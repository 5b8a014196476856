// The organisation directory over HTTP: read, import and edit, for its administrators only
// (directory-admin.ts). Anyone else gets a 403, audited in the directory's chain.
import type { FastifyInstance } from 'fastify';
import type { PersonPatch } from '../../../store/directory.js';
import type { ApiContext } from '../context.js';
import { directoryView, editPerson, importBody, importUpload, requireAdmin } from '../directory-admin.js';
import { oneUpload, TABLE_TYPES } from '../tables.js';
import { readMultipart } from '../uploads.js';
import { errorResponse } from '../schemas/cycle.js';
import { directoryResponse, importForm, importJsonBody, importResponse, personParams, personPatchBody, personResponse } from '../schemas/directory.js';

const tags = ['directory'];
const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 500: errorResponse };

export function directoryRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance) => {
    app.get('/api/directory', {
      schema: { summary: 'The organisation directory: units with their coordinator, departments, people (administrators only)', tags, response: { 200: directoryResponse, ...errors } },
    }, async (request) => {
      await requireAdmin(ctx, request, 'view');
      return directoryView(ctx);
    });

    app.post('/api/directory/import', {
      schema: {
        summary: 'Import the directory (administrators only): upserts by id, all or nothing, every change audited in the chain "directory"',
        description: 'multipart/form-data with one file in the field "file" (.json, .csv, .xlsx), or the JSON document itself. Errors name the field (people.3.email) or the row and column of a table.',
        tags, consumes: ['application/json', 'multipart/form-data'],
        body: { content: { 'application/json': { schema: importJsonBody }, ...importForm } },
        response: { 200: importResponse, ...errors },
      },
    }, async (request) => {
      // Rights first: a refused person's file is not even read.
      const actor = await requireAdmin(ctx, request, 'import');
      if (!request.isMultipart()) return importBody(ctx, request.body, actor);
      const { uploads } = await readMultipart(ctx, request, { types: TABLE_TYPES, field: 'file' });
      return importUpload(ctx, oneUpload(uploads, 'file'), actor);
    });

    app.put<{ Params: { id: string }; Body: PersonPatch }>('/api/directory/people/:id', {
      schema: {
        summary: 'Change one person\'s name, e-mail, phone or language (administrators only; audited)', tags,
        params: personParams, body: personPatchBody, response: { 200: personResponse, ...errors },
      },
    }, async (request) => {
      const actor = await requireAdmin(ctx, request, 'edit', request.params.id);
      return editPerson(ctx, request.params.id, request.body, actor);
    });
  };
}
