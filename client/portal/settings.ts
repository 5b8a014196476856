// The portal's own settings, read from the environment beside domain/config.ts (which the whole
// service shares). Pure: takes the environment as an argument, like parseConfig.
import { z } from 'zod';
import { parseConfig, publicUrl, type Config } from '../../domain/config.js';

const flag = z.enum(['0', '1', 'true', 'false', 'yes', 'no']).transform((v) => ['1', 'true', 'yes'].includes(v));

const portalSchema = z.object({
  /** Trust X-Perfcycle-User as the caller (operators' scripts, tests). Never on a network others reach. */
  PORTAL_TRUST_HEADER: flag.default(false),
  PORTAL_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  PORTAL_LINK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  PORTAL_SIGNIN_MAX: z.coerce.number().int().min(1).default(10),
  PORTAL_SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  PORTAL_MAX_UPLOAD_MB: z.coerce.number().positive().max(50).default(20),
  /**
   * The key of the CSRF tokens' HMAC (client/api/plugins/csrf.ts). Unset: a random key per process, so a
   * restart makes open pages' forms ask for a reload. Set it (32+ characters) when several API processes
   * serve one portal; change it to rotate (open pages need a reload, nobody is signed out).
   */
  PORTAL_CSRF_KEY: z.string().min(32).optional(),
  PORTAL_UPLOAD_TYPES: z.string().default('pdf,ofd,doc,docx,wps,xls,xlsx,et,csv,ppt,pptx,dps,txt,md,jpg,jpeg,png,gif,webp,mp3,mp4,wav,zip,7z,rar'),
});

export const PORTAL_VARS = Object.keys(portalSchema.shape) as (keyof z.infer<typeof portalSchema>)[];

export interface PortalSettings {
  dataDir: string;
  publicUrl: string;
  mailFrom: string;
  trustHeader: boolean;
  sessionMs: number;
  linkMs: number;
  signinMax: number;
  signinWindowMs: number;
  maxUploadBytes: number;
  uploadTypes: string[];
  /** Cookies only over HTTPS when the public address is HTTPS. */
  secureCookies: boolean;
  /** PORTAL_CSRF_KEY; unset: a random key per process. */
  csrfKey?: string;
}

export function portalSettings(env: Record<string, string | undefined>, config: Config = parseConfig(env)): PortalSettings {
  const picked = Object.fromEntries(PORTAL_VARS.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = portalSchema.safeParse(picked);
  if (!parsed.success) {
    throw new Error(`配置错误 / invalid configuration:\n${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const p = parsed.data;
  const url = publicUrl(config).replace(/\/+$/, '');
  return {
    dataDir: config.DATA_DIR,
    publicUrl: url,
    mailFrom: config.MAIL_FROM,
    trustHeader: p.PORTAL_TRUST_HEADER,
    sessionMs: p.PORTAL_SESSION_HOURS * 3_600_000,
    linkMs: p.PORTAL_LINK_MINUTES * 60_000,
    signinMax: p.PORTAL_SIGNIN_MAX,
    signinWindowMs: p.PORTAL_SIGNIN_WINDOW_MINUTES * 60_000,
    maxUploadBytes: Math.round(p.PORTAL_MAX_UPLOAD_MB * 1024 * 1024),
    uploadTypes: p.PORTAL_UPLOAD_TYPES.split(',').map((s) => s.trim().toLowerCase().replace(/^\./, '')).filter(Boolean),
    secureCookies: url.startsWith('https://'),
    ...(p.PORTAL_CSRF_KEY && { csrfKey: p.PORTAL_CSRF_KEY }),
  };
}
