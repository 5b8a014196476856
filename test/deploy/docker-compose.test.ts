// Checks docker-compose.yml (production) against the service's own settings (domain/config.ts)
// and against the shape of Temporal's compose recipe. Each check is a function returning the
// problems it finds; the last block feeds deliberately broken copies to show the checks bite.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CONFIG_VARS, DEFAULT_TASK_QUEUE, parseConfig } from '../../domain/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (name: string): string => readFileSync(`${root}${name}`, 'utf8');

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface PortLong {
  target: number | string;
  published?: number | string;
  host_ip?: string;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  restart?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  ports?: (string | number | PortLong)[];
  expose?: (string | number)[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  command?: string | string[];
  entrypoint?: string | string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, { content?: string; file?: string }>;
}

const parse = (text: string): Compose => YAML.parse(text) as Compose;
const compose = parse(read('docker-compose.yml'));
/** A fresh, independent copy to break on purpose. */
const copy = (): Compose => structuredClone(compose);

const REQUIRED = [
  'postgres', 'temporal-admin-tools', 'temporal', 'temporal-create-namespace',
  'temporal-ui', 'mailpit', 'worker', 'api',
] as const;
const ONE_SHOT = ['temporal-admin-tools', 'temporal-create-namespace'] as const;
const APPS = ['worker', 'api'] as const;

function svc(doc: Compose, name: string): Service {
  const s = doc.services[name];
  if (!s) throw new Error(`service ${name} missing`);
  return s;
}

/** Compose's own variable substitution, for an environment where no variable is set. */
function interpolate(value: string, vars: Record<string, string | undefined> = {}): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare) as string;
      const v = vars[name];
      const missing = op?.startsWith(':') ? v === undefined || v === '' : v === undefined;
      if (!missing || !op) return v ?? '';
      if (op.endsWith('?')) throw new Error(`required variable ${name}: ${arg ?? ''}`);
      return arg ?? '';
    });
}

function envOf(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((line) => {
      const i = line.indexOf('=');
      return i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** The environment a container of this service really gets (variables substituted, none set). */
const resolvedEnv = (s: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(envOf(s)).map(([k, v]) => [k, interpolate(v)]));

function imageParts(ref: string): { name: string; tag?: string; digest?: string } {
  const [beforeDigest = '', digest] = ref.split('@');
  const slash = beforeDigest.lastIndexOf('/');
  const colon = beforeDigest.lastIndexOf(':');
  if (colon > slash) return { name: beforeDigest.slice(0, colon), tag: beforeDigest.slice(colon + 1), digest };
  return { name: beforeDigest, digest };
}

/** A tag names a release (at least major.minor, optionally a "v" and a variant suffix). */
const PINNED_TAG = /^v?\d+\.\d+(\.\d+)*([-.+][A-Za-z0-9.]+)*$/;

/** Container ports of a service's port mappings, with their host side. */
function portMappings(s: Service): { host?: number; container: number; hostIp?: string }[] {
  return (s.ports ?? []).map((p) => {
    if (typeof p === 'object') {
      return { container: Number(p.target), host: p.published === undefined ? undefined : Number(p.published), hostIp: p.host_ip };
    }
    const spec = String(p).split('/')[0] ?? '';
    const parts = spec.split(':');
    const container = Number(parts[parts.length - 1]);
    const host = parts.length >= 2 ? Number(parts[parts.length - 2]) : undefined;
    const hostIp = parts.length >= 3 ? parts.slice(0, parts.length - 2).join(':') : undefined;
    return { container, host, hostIp };
  });
}

function dependsOn(s: Service): Record<string, string> {
  const d = s.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((n) => [n, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([n, v]) => [n, v.condition ?? 'service_started']));
}

const commandText = (s: Service): string =>
  [s.entrypoint, s.command].flat().filter((x): x is string => typeof x === 'string').join(' ');

function splitHostPort(address: string): { host: string; port: number } {
  const m = /^([^:]+):(\d+)$/.exec(address);
  if (!m) throw new Error(`not host:port: ${address}`);
  return { host: m[1] as string, port: Number(m[2]) };
}

// ---------------------------------------------------------------- the checks

function missingServices(doc: Compose): string[] {
  return REQUIRED.filter((n) => !doc.services[n]);
}

function unpinnedImages(doc: Compose): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(doc.services)) {
    if (!s.image) {
      if (!s.build) problems.push(`${name}: neither image nor build`);
      continue;
    }
    if (s.image.includes('$')) { problems.push(`${name}: image tag comes from a variable (${s.image})`); continue; }
    const { tag, digest } = imageParts(s.image);
    if (digest) continue;
    if (!tag) problems.push(`${name}: ${s.image} has no tag`);
    else if (tag === 'latest') problems.push(`${name}: ${s.image} uses latest`);
    else if (!PINNED_TAG.test(tag)) problems.push(`${name}: ${s.image} is not a pinned release tag`);
  }
  return problems;
}

function unmonitored(doc: Compose): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(doc.services)) {
    const oneShot = s.restart === 'no';
    const test = s.healthcheck?.test;
    const hasCheck = !s.healthcheck?.disable && test !== undefined && [test].flat().length > 0 && [test].flat()[0] !== 'NONE';
    if (!oneShot && !hasCheck) problems.push(`${name}: no health check and not a one-shot job (restart: "no")`);
  }
  for (const name of ONE_SHOT) {
    const s = doc.services[name];
    if (s && s.restart !== 'no') problems.push(`${name}: expected a one-shot job with restart: "no", got ${String(s.restart)}`);
  }
  return problems;
}

function appEnvProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const known = new Set<string>(CONFIG_VARS);
  for (const name of APPS) {
    const s = doc.services[name];
    if (!s) { problems.push(`${name}: missing`); continue; }
    const raw = envOf(s);
    for (const key of Object.keys(raw)) if (!known.has(key)) problems.push(`${name}: ${key} is not in CONFIG_VARS`);
    for (const key of CONFIG_VARS) if (!(key in raw)) problems.push(`${name}: ${key} not set (would fall back to a development default)`);
    try {
      parseConfig(resolvedEnv(s));
    } catch (e) {
      problems.push(`${name}: parseConfig refuses its environment: ${(e as Error).message}`);
    }
  }
  return problems;
}

function temporalAddressProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const server = doc.services.temporal;
  if (!server || !imageParts(server.image ?? '').name.endsWith('temporalio/server')) return ['no temporalio/server service named temporal'];
  const users = [...APPS, 'temporal-ui', 'temporal-create-namespace'];
  for (const name of users) {
    const s = doc.services[name];
    const address = s ? resolvedEnv(s).TEMPORAL_ADDRESS : undefined;
    if (!address) { problems.push(`${name}: no TEMPORAL_ADDRESS`); continue; }
    const { host, port } = splitHostPort(address);
    if (host !== 'temporal') problems.push(`${name}: TEMPORAL_ADDRESS host ${host} is not the temporal service`);
    if (!doc.services[host]) problems.push(`${name}: TEMPORAL_ADDRESS host ${host} is no service`);
    if (port !== 7233) problems.push(`${name}: TEMPORAL_ADDRESS port ${port} is not the frontend's 7233`);
  }
  if (!portMappings(server).some((p) => p.container === 7233)) problems.push('temporal: 7233 not mapped');
  if (!JSON.stringify(server.healthcheck?.test ?? '').includes('7233')) problems.push('temporal: health check does not probe 7233');
  const env = resolvedEnv(server);
  if (env.DB !== 'postgres12') problems.push(`temporal: DB=${env.DB}`);
  if (env.BIND_ON_IP !== '0.0.0.0') problems.push(`temporal: BIND_ON_IP=${env.BIND_ON_IP}`);
  if (!env.POSTGRES_SEEDS || !doc.services[env.POSTGRES_SEEDS]) problems.push(`temporal: POSTGRES_SEEDS=${env.POSTGRES_SEEDS} is no service`);
  return problems;
}

function smtpProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const mailpit = doc.services.mailpit;
  if (!mailpit || imageParts(mailpit.image ?? '').name !== 'axllent/mailpit') return ['no axllent/mailpit service named mailpit'];
  const bind = resolvedEnv(mailpit).MP_SMTP_BIND_ADDR ?? '0.0.0.0:1025';
  const smtpPort = Number(bind.split(':').pop());
  const reachable = new Set([...(mailpit.expose ?? []).map(Number), ...portMappings(mailpit).map((p) => p.container)]);
  if (!reachable.has(smtpPort)) problems.push(`mailpit: SMTP port ${smtpPort} neither exposed nor mapped`);
  for (const name of APPS) {
    const s = doc.services[name];
    const raw = s ? resolvedEnv(s).SMTP_URL : undefined;
    if (!raw) { problems.push(`${name}: no SMTP_URL`); continue; }
    const url = new URL(raw);
    if (url.protocol !== 'smtp:') problems.push(`${name}: SMTP_URL scheme ${url.protocol}`);
    if (url.hostname !== 'mailpit') problems.push(`${name}: SMTP_URL host ${url.hostname} is not the mailpit service`);
    if (Number(url.port) !== smtpPort) problems.push(`${name}: SMTP_URL port ${url.port} is not mailpit's SMTP port ${smtpPort}`);
  }
  return problems;
}

function apiPortProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const api = doc.services.api;
  if (!api) return ['api: missing'];
  const config = parseConfig(resolvedEnv(api));
  const mappings = portMappings(api);
  if (!mappings.some((p) => p.container === config.API_PORT)) {
    problems.push(`api: no port mapping to API_PORT ${config.API_PORT} (has ${JSON.stringify(mappings)})`);
  }
  for (const p of mappings) if (p.container !== config.API_PORT) problems.push(`api: maps ${p.container}, not API_PORT ${config.API_PORT}`);
  const probe = JSON.stringify(api.healthcheck?.test ?? '');
  if (!probe.includes(`:${config.API_PORT}/health`)) problems.push(`api: health check does not fetch :${config.API_PORT}/health`);
  if (config.API_HOST !== '0.0.0.0') problems.push(`api: API_HOST ${config.API_HOST} is unreachable from outside the container`);
  return problems;
}

function versionProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const server = imageParts(doc.services.temporal?.image ?? '').tag;
  if (!server || !/^1\.30\.\d+$/.test(server)) problems.push(`temporal server tag ${server} is not 1.30.x`);
  for (const [name, s] of Object.entries(doc.services)) {
    if (!s.image) continue;
    const { name: image, tag } = imageParts(s.image);
    if (image === 'temporalio/admin-tools' && tag !== server) problems.push(`${name}: admin-tools ${tag} differs from server ${server}`);
  }
  const ui = imageParts(doc.services['temporal-ui']?.image ?? '').tag ?? '';
  if (!/^2\.3\d\.\d+$/.test(ui)) problems.push(`temporal-ui tag ${ui} is not 2.3x`);
  const pg = imageParts(doc.services.postgres?.image ?? '').tag ?? '';
  if (!/^16\.\d+/.test(pg)) problems.push(`postgres tag ${pg} is not 16.x`);
  return problems;
}

function orderingProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const expect = (from: string, to: string, condition: string): void => {
    const s = doc.services[from];
    const got = s ? dependsOn(s)[to] : undefined;
    if (got !== condition) problems.push(`${from} should depend on ${to} (${condition}), has ${String(got)}`);
  };
  expect('temporal-admin-tools', 'postgres', 'service_healthy');
  expect('temporal', 'temporal-admin-tools', 'service_completed_successfully');
  expect('temporal-create-namespace', 'temporal', 'service_healthy');
  expect('temporal-ui', 'temporal', 'service_healthy');
  for (const app of APPS) {
    expect(app, 'temporal', 'service_healthy');
    expect(app, 'temporal-create-namespace', 'service_completed_successfully');
  }
  return problems;
}

// ---------------------------------------------------------------- the real file

describe('docker-compose.yml', () => {
  it('has every required service', () => {
    expect(missingServices(compose)).toEqual([]);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([...REQUIRED]));
  });

  it('pins every image (no latest, no bare or variable tags)', () => {
    expect(unpinnedImages(compose)).toEqual([]);
    expect(svc(compose, 'postgres').image).toMatch(/^postgres:16\.\d+/);
    expect(svc(compose, 'mailpit').image).toMatch(/^axllent\/mailpit:v\d+\.\d+\.\d+$/);
    for (const app of APPS) {
      const build = svc(compose, app).build;
      const dockerfile = typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
      expect(dockerfile).toBe('Dockerfile');
    }
  });

  it('gives every long-running service a health check; set-up jobs run once', () => {
    expect(unmonitored(compose)).toEqual([]);
    for (const name of ONE_SHOT) expect(svc(compose, name).restart).toBe('no');
    for (const name of REQUIRED.filter((n) => !(ONE_SHOT as readonly string[]).includes(n))) {
      expect(svc(compose, name).healthcheck?.test, name).toBeDefined();
    }
  });

  it('sets only CONFIG_VARS on worker and api, all of them, and parseConfig accepts them', () => {
    expect(appEnvProblems(compose)).toEqual([]);
    for (const app of APPS) {
      const config = parseConfig(resolvedEnv(svc(compose, app)));
      expect(config).toMatchObject({
        TEMPORAL_ADDRESS: 'temporal:7233',
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: DEFAULT_TASK_QUEUE,
        SMTP_URL: 'smtp://mailpit:1025',
        DATA_DIR: '/data',
        API_HOST: '0.0.0.0',
        API_PORT: 3000,
      });
      expect(config.PUBLIC_URL).toMatch(/^https?:\/\//);
      expect(config.MAIL_FROM).toContain('@');
    }
  });

  it('points TEMPORAL_ADDRESS at the temporal service on 7233', () => {
    expect(temporalAddressProblems(compose)).toEqual([]);
  });

  it('points SMTP_URL at the mailpit service and its SMTP port', () => {
    expect(smtpProblems(compose)).toEqual([]);
    expect(resolvedEnv(svc(compose, 'mailpit')).MP_SMTP_BIND_ADDR).toBe('0.0.0.0:1025');
  });

  it('maps the api port to API_PORT and probes /health there', () => {
    expect(apiPortProblems(compose)).toEqual([]);
    expect(portMappings(svc(compose, 'api'))).toEqual([{ host: 3000, container: 3000, hostIp: undefined }]);
  });

  it('runs the same Temporal version for server and admin-tools', () => {
    expect(versionProblems(compose)).toEqual([]);
    expect(imageParts(svc(compose, 'temporal').image ?? '').tag).toBe(imageParts(svc(compose, 'temporal-admin-tools').image ?? '').tag);
    expect(imageParts(svc(compose, 'temporal-create-namespace').image ?? '').tag).toBe(imageParts(svc(compose, 'temporal').image ?? '').tag);
  });

  it('starts things in order: schema, server, namespace, then the apps', () => {
    expect(orderingProblems(compose)).toEqual([]);
  });

  it('sets up both databases with temporal-sql-tool (postgres12) and creates the apps\' namespace', () => {
    const setup = commandText(svc(compose, 'temporal-admin-tools'));
    expect(setup).toContain('temporal-sql-tool --plugin postgres12');
    expect(setup).toMatch(/for db in temporal temporal_visibility/);
    for (const step of ['create', 'setup-schema -v 0.0', 'update-schema -d']) expect(setup).toContain(step);
    const ns = svc(compose, 'temporal-create-namespace');
    expect(commandText(ns)).toContain('temporal operator namespace create');
    expect(resolvedEnv(ns).NAMESPACE).toBe(resolvedEnv(svc(compose, 'worker')).TEMPORAL_NAMESPACE);
  });

  it('points DATABASE_URL at a perfcycle database on the postgres service, created by the set-up job', () => {
    const url = new URL(resolvedEnv(svc(compose, 'worker')).DATABASE_URL ?? '');
    expect([url.protocol, url.hostname, url.port, url.pathname]).toEqual(['postgres:', 'postgres', '5432', '/perfcycle']);
    const pg = resolvedEnv(svc(compose, 'postgres'));
    expect([decodeURIComponent(url.username), decodeURIComponent(url.password)]).toEqual([pg.POSTGRES_USER, pg.POSTGRES_PASSWORD]);
    expect(resolvedEnv(svc(compose, 'api')).DATABASE_URL).toBe(url.href);
    expect(commandText(svc(compose, 'temporal-admin-tools'))).toMatch(/--db perfcycle create/);
  });

  it('gives the server a dynamic-config file and the apps one shared data volume', () => {
    const server = svc(compose, 'temporal');
    const dcPath = resolvedEnv(server).DYNAMIC_CONFIG_FILE_PATH;
    expect(JSON.stringify(server)).toContain(`"target":"${dcPath}"`);
    expect(compose.configs?.['temporal-dynamicconfig']?.content).toBeTruthy();
    const mounts = APPS.map((app) => (svc(compose, app).volumes ?? []).find((v) => String(v).endsWith(':/data')));
    expect(mounts[0]).toBeDefined();
    expect(mounts[0]).toBe(mounts[1]);
    const volume = String(mounts[0]).split(':')[0] ?? '';
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
    expect(svc(compose, 'postgres').volumes?.some((v) => String(v).endsWith(':/var/lib/postgresql/data'))).toBe(true);
  });

  it('runs the worker and the api from the project image', () => {
    expect(commandText(svc(compose, 'worker'))).toBe('npx tsx worker/main.ts');
    expect(commandText(svc(compose, 'api'))).toBe('npx tsx client/api/main.ts');
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = read('Dockerfile');

  it('builds on a pinned Node 20 bookworm-slim and installs with npm ci', () => {
    const from = /^FROM\s+(\S+)/m.exec(dockerfile)?.[1];
    expect(from).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^CMD \["npx", "tsx", "worker\/main\.ts"\]$/m);
  });

  it('keeps node_modules and local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.git', 'data', '.tools']) expect(ignored).toContain(entry);
  });
});

// ---------------------------------------------------------------- the checks bite

describe('the checks catch a broken compose file', () => {
  it('a missing service', () => {
    const doc = copy();
    delete doc.services.mailpit;
    expect(missingServices(doc)).toEqual(['mailpit']);
  });

  it.each(['postgres:latest', 'postgres', 'postgres:16', 'temporalio/ui:${UI_TAG}', 'registry:5000/postgres'])('image %s', (image) => {
    const doc = copy();
    svc(doc, 'postgres').image = image;
    expect(unpinnedImages(doc)).toHaveLength(1);
  });

  it('accepts a digest or a full release tag', () => {
    const doc = copy();
    svc(doc, 'postgres').image = `postgres:16@sha256:${'a'.repeat(64)}`;
    svc(doc, 'temporal-ui').image = 'registry:5000/temporalio/ui:2.34.0';
    expect(unpinnedImages(doc)).toEqual([]);
  });

  it('a service without health check, and a set-up job that restarts', () => {
    const doc = copy();
    delete svc(doc, 'mailpit').healthcheck;
    svc(doc, 'temporal-admin-tools').restart = 'on-failure';
    expect(unmonitored(doc)).toHaveLength(3);
  });

  it('an unknown variable, a missing one, and a value parseConfig refuses', () => {
    const doc = copy();
    const env = envOf(svc(doc, 'worker'));
    svc(doc, 'worker').environment = { ...env, TEMPORAL_HOST: 'temporal' };
    const apiEnv = envOf(svc(doc, 'api'));
    delete apiEnv.DATA_DIR;
    svc(doc, 'api').environment = { ...apiEnv, PUBLIC_URL: 'not a url' };
    const problems = appEnvProblems(doc);
    expect(problems.some((p) => p.startsWith('worker: TEMPORAL_HOST is not in CONFIG_VARS'))).toBe(true);
    expect(problems.some((p) => p.startsWith('api: DATA_DIR not set'))).toBe(true);
    expect(problems.some((p) => p.startsWith('api: parseConfig refuses'))).toBe(true);
  });

  it('a wrong Temporal host or port', () => {
    const doc = copy();
    svc(doc, 'worker').environment = { ...envOf(svc(doc, 'worker')), TEMPORAL_ADDRESS: 'localhost:7233' };
    svc(doc, 'api').environment = { ...envOf(svc(doc, 'api')), TEMPORAL_ADDRESS: 'temporal:7234' };
    expect(temporalAddressProblems(doc)).toHaveLength(3);
  });

  it('a wrong SMTP host or port', () => {
    const doc = copy();
    svc(doc, 'worker').environment = { ...envOf(svc(doc, 'worker')), SMTP_URL: 'smtp://mail:1025' };
    svc(doc, 'mailpit').environment = { ...envOf(svc(doc, 'mailpit')), MP_SMTP_BIND_ADDR: '0.0.0.0:2525' };
    const problems = smtpProblems(doc);
    expect(problems).toContain('mailpit: SMTP port 2525 neither exposed nor mapped');
    expect(problems.filter((p) => p.includes('port 1025 is not'))).toHaveLength(2);
    expect(problems.some((p) => p.includes('host mail is not'))).toBe(true);
  });

  it('an api port that is not API_PORT', () => {
    const doc = copy();
    svc(doc, 'api').ports = ['3000:8000'];
    expect(apiPortProblems(doc).length).toBeGreaterThan(0);
    svc(doc, 'api').ports = [{ target: 3000, published: 80 }];
    expect(apiPortProblems(doc)).toEqual([]);
  });

  it('admin-tools and server on different versions', () => {
    const doc = copy();
    svc(doc, 'temporal-admin-tools').image = 'temporalio/admin-tools:1.30.0';
    expect(versionProblems(doc)).toEqual(['temporal-admin-tools: admin-tools 1.30.0 differs from server 1.30.1']);
  });

  it('a server that starts before its schema, apps before the server is healthy', () => {
    const doc = copy();
    svc(doc, 'temporal').depends_on = ['temporal-admin-tools'];
    svc(doc, 'api').depends_on = { temporal: { condition: 'service_started' } };
    const problems = orderingProblems(doc);
    expect(problems).toContain('temporal should depend on temporal-admin-tools (service_completed_successfully), has service_started');
    expect(problems).toContain('api should depend on temporal (service_healthy), has service_started');
    expect(problems).toContain('api should depend on temporal-create-namespace (service_completed_successfully), has undefined');
  });

  it('substitutes variables as compose does', () => {
    expect(interpolate('${A:-x}')).toBe('x');
    expect(interpolate('${A:-x}', { A: 'y' })).toBe('y');
    expect(interpolate('${A-x}', { A: '' })).toBe('');
    expect(interpolate('$$HOME and $A', { A: 'a' })).toBe('$HOME and a');
    expect(() => interpolate('${A:?set A}')).toThrow(/set A/);
  });
});
