// The HTTP API and the portal's pages: shared parts as plugins, one route module per resource.
// JSON under /api (in the OpenAPI document), server-rendered pages elsewhere.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import type { MailSender } from '../../activities/mail-sender.js';
import { parseConfig } from '../../domain/config.js';
import { mailSenderFor } from '../../worker/create-worker.js';
import type { CycleClient } from '../cycle-client.js';
import { portalSettings, type PortalSettings } from '../portal/settings.js';
import { apiContext } from './context.js';
import { registerActor } from './plugins/actor.js';
import { registerCsrf } from './plugins/csrf.js';
import { frameworkErrors, registerErrorHandler } from './plugins/errors.js';
import { fastifyLogging, type LogOptions } from './plugins/logging.js';
import { registerBodyValidation } from './plugins/body-validation.js';
import { registerMetrics } from './plugins/metrics.js';
import { registerSigninLimit } from './plugins/signin-limit.js';
import { authRoutes } from './routes/auth.js';
import { cycleRoutes } from './routes/cycles.js';
import { fileRoutes } from './routes/files.js';
import { scoreRoutes } from './routes/scores.js';
import { gradingRoutes } from './routes/gradings.js';
import { icalRoutes } from './routes/ical.js';
import { recordRoutes } from './routes/records.js';
import { directoryRoutes } from './routes/directory.js';
import { peopleRoutes } from './routes/people.js';
import { noticeSettingsRoutes } from './routes/notice-settings.js';
import { assetRoutes } from './routes/assets.js';
import { registerPageErrors } from './pages/frame.js';
import { delegationPages } from './pages/delegation-pages.js';
import { authPages } from './pages/auth-pages.js';
import { cyclePages } from './pages/cycle-pages.js';
import { scorePages } from './pages/score-pages.js';
import { adminPages } from './pages/admin-pages.js';
import { noticePages } from './pages/notice-pages.js';

export const OPENAPI_PATH = '/openapi.json';

export interface ApiOptions {
  cycles: CycleClient;
  /** The request log (plugins/logging.ts); default: none. */
  log?: LogOptions | false;
  /** Default: from the environment (client/portal/settings.ts). */
  settings?: PortalSettings;
  /** Where sign-in links go; default: the same outbox or SMTP as the reminders. */
  sender?: MailSender;
  now?: () => Date;
}

export async function buildApi(opts: ApiOptions): Promise<FastifyInstance> {
  const config = parseConfig(process.env);
  const settings = opts.settings ?? portalSettings(process.env, config);
  const sender = opts.sender ?? mailSenderFor(config);
  const ctx = apiContext({ cycles: opts.cycles, settings, sender, ...(opts.now && { now: opts.now }) });

  // strictTypes off: the multipart forms' schemas carry no "type" on purpose (schemas/scores.ts), which ajv would log at every start.
  const app = Fastify({ frameworkErrors, ...fastifyLogging(opts.log), ajv: { customOptions: { allErrors: false, allowUnionTypes: true, strictTypes: false } } });
  registerErrorHandler(app);
  registerBodyValidation(app);
  registerMetrics(app, config.METRICS_TOKEN); // GET /metrics, only with METRICS_TOKEN (plugins/metrics.ts)
  // Unsigned: the session cookie holds a random token whose hash the database keeps.
  await app.register(cookie);
  // Origin, CSRF tokens, media types of the API, security headers: before anyone is looked up.
  await registerCsrf(app, settings);
  await app.register(multipart, { limits: { fileSize: settings.maxUploadBytes, files: 20, fields: 20, fieldSize: 64 * 1024 } });
  const signinLimit = await registerSigninLimit(app, settings);
  registerActor(app, ctx);
  await app.register(swagger, {
    openapi: {
      info: { title: 'perfcycle API', description: '绩效评估周期 / performance-evaluation cycle. Sign in with POST /api/auth/link or /api/auth/password; the session is a cookie, or send its token as Authorization: Bearer.', version: '0.2.0' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'perfcycle_session' }, bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true }));
  // The pages' scripts (Chart.js and the code drawing the charts), served from here: the CSP allows this site's scripts only.
  await app.register(assetRoutes());
  await app.register(authRoutes(ctx, signinLimit));
  await app.register(cycleRoutes(ctx));
  await app.register(scoreRoutes(ctx));
  await app.register(gradingRoutes(ctx));
  await app.register(fileRoutes(ctx));
  await app.register(icalRoutes(ctx));
  await app.register(recordRoutes(ctx));
  await app.register(directoryRoutes(ctx));
  await app.register(peopleRoutes(ctx));
  await app.register(noticeSettingsRoutes(ctx));
  await app.register(async (pages) => {
    // Form bodies only for the pages: the JSON API answers them 415 (plugins/csrf.ts).
    await pages.register(formbody);
    registerPageErrors(pages, ctx);
    await pages.register(authPages(ctx, signinLimit));
    await pages.register(cyclePages(ctx));
    await pages.register(delegationPages(ctx));
    await pages.register(scorePages(ctx));
    await pages.register(adminPages(ctx));
    await pages.register(noticePages(ctx));
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  if (!opts.sender) app.addHook('onClose', async () => sender.close());
  return app;
}
