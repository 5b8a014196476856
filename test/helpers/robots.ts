// The two chat robots as their documents describe them, in the test process over real HTTP (node:http):
//  - DingTalk custom robot, POST /robot/send?access_token=…[&timestamp=…&sign=…]: an unknown or removed
//    token → 300001 "token is not exist"; with a secret, a timestamp more than an hour from the robot's
//    clock → 310000 "invalid timestamp", a signature other than base64(HMAC-SHA256(secret,
//    `${timestamp}\n${secret}`)) → 310000 "sign not match"; a body over 20000 bytes → 460101; more than
//    20 messages in a minute → 130101 "send too fast, exceed 20 times per minute", and then 10 minutes
//    of it (the documented throttle).
//  - WeCom group robot, POST /cgi-bin/webhook/send?key=…: an unknown or removed key → 93000 "invalid
//    webhook url"; an unknown msgtype → 40008 "invalid message type"; markdown.content over 4096 bytes
//    or text.content over 2048 → 40058 "… exceed max length …"; more than 20 messages in a minute →
//    45009 "api freq out of limit".
// The codes and limits are those cited in activities/channels/dingtalk.ts and wecom.ts. For a body that
// is not the documented schema (no markdown.title, a missing content) no source gave the code: the
// fakes answer 40035 (DingTalk) and 44004 (WeCom), which the client treats like any refusal.
// The clock is injectable (the tests share one with the rate limiter); the fakes can be told to fail
// (HTTP 5xx, a chosen errcode, a slow answer) and record every message they accepted.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AcceptedMessage {
  robot: 'dingtalk' | 'wecom';
  /** The access token or key it was sent to. */
  id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  at: number;
}

type Failure = { status: number; text?: string } | { errcode: number; errmsg: string } | { delayMs: number };

export interface FakeRobots {
  url: string;
  accepted: AcceptedMessage[];
  /** Every request answered (accepted or not), per robot id. */
  requests: Map<string, number>;
  /** Answers, in order, that were not errcode 0: `${id} ${errcode}`. */
  refusals: string[];
  addDingTalk(token: string, secret?: string): void;
  addWeCom(key: string): void;
  /** The robot is removed from its group (its token or key stops existing; added again, it starts afresh). */
  remove(id: string): void;
  /** Answer the next n requests (to any robot) this way instead. */
  failNext(n: number, how: Failure): void;
  /** The robot is rate-limited for ms from now (as if another system had used it up). */
  throttle(id: string, ms: number): void;
  close(): Promise<void>;
}

export const DINGTALK_WINDOW_MS = 60 * 60 * 1000;
const RATE = { limit: 20, windowMs: 60_000 };
const DINGTALK_THROTTLE_MS = 10 * 60_000;
const MAX_BODY = 1 << 20;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const isStrings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');

export async function startRobots({ now = () => Date.now() }: { now?: () => number } = {}): Promise<FakeRobots> {
  const dingtalk = new Map<string, { secret?: string }>();
  const wecom = new Set<string>();
  const accepted: AcceptedMessage[] = [];
  const requests = new Map<string, number>();
  const refusals: string[] = [];
  const sent = new Map<string, number[]>();
  const throttledUntil = new Map<string, number>();
  let failures: { left: number; how?: Failure } = { left: 0 };

  /** Over the rate: more than `limit` accepted in the window ending now, or throttled. */
  const overRate = (id: string): boolean => {
    const t = now();
    if ((throttledUntil.get(id) ?? 0) > t) return true;
    return (sent.get(id) ?? []).filter((s) => s > t - RATE.windowMs).length >= RATE.limit;
  };
  const accept = (robot: AcceptedMessage['robot'], id: string, body: unknown) => {
    accepted.push({ robot, id, body, at: now() });
    sent.set(id, [...(sent.get(id) ?? []), now()].filter((s) => s > now() - RATE.windowMs));
  };

  function dingTalk(url: URL, raw: string): { errcode: number; errmsg: string; id: string } {
    const id = url.searchParams.get('access_token') ?? '';
    const robot = dingtalk.get(id);
    if (!robot) return { id, errcode: 300001, errmsg: 'token is not exist' };
    if (robot.secret) {
      const ts = Number(url.searchParams.get('timestamp'));
      if (!Number.isInteger(ts) || Math.abs(now() - ts) > DINGTALK_WINDOW_MS) return { id, errcode: 310000, errmsg: 'invalid timestamp' };
      const expected = createHmac('sha256', robot.secret).update(`${ts}\n${robot.secret}`).digest('base64');
      if (url.searchParams.get('sign') !== expected) return { id, errcode: 310000, errmsg: 'sign not match' };
    }
    if (bytes(raw) > 20_000) return { id, errcode: 460101, errmsg: 'message too long, exceed 20000 bytes' };
    let body: { msgtype?: unknown; markdown?: { title?: unknown; text?: unknown }; text?: { content?: unknown }; at?: { atMobiles?: unknown; isAtAll?: unknown } };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return { id, errcode: 40035, errmsg: 'invalid json' };
    }
    const ok = body.msgtype === 'markdown'
      ? typeof body.markdown?.title === 'string' && body.markdown.title !== '' && typeof body.markdown.text === 'string' && body.markdown.text !== ''
      : body.msgtype === 'text' && typeof body.text?.content === 'string' && body.text.content !== '';
    if (!ok) return { id, errcode: 40035, errmsg: `missing parameter for msgtype ${String(body.msgtype)}` };
    if (body.at !== undefined && ((body.at.atMobiles !== undefined && !isStrings(body.at.atMobiles)) || (body.at.isAtAll !== undefined && typeof body.at.isAtAll !== 'boolean'))) {
      return { id, errcode: 40035, errmsg: 'invalid at' };
    }
    if (overRate(id)) {
      throttledUntil.set(id, Math.max(throttledUntil.get(id) ?? 0, now() + DINGTALK_THROTTLE_MS));
      return { id, errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' };
    }
    accept('dingtalk', id, body);
    return { id, errcode: 0, errmsg: 'ok' };
  }

  function weCom(url: URL, raw: string): { errcode: number; errmsg: string; id: string } {
    const id = url.searchParams.get('key') ?? '';
    const hint = `hint: [${now()}], more info at https://open.work.weixin.qq.com/devtool/query`;
    if (!wecom.has(id)) return { id, errcode: 93000, errmsg: `invalid webhook url, ${hint}?e=93000` };
    let body: { msgtype?: unknown; markdown?: { content?: unknown }; text?: { content?: unknown; mentioned_list?: unknown; mentioned_mobile_list?: unknown } };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return { id, errcode: 40035, errmsg: `invalid json, ${hint}` };
    }
    if (!['text', 'markdown', 'markdown_v2', 'image', 'news', 'file', 'voice', 'template_card'].includes(String(body.msgtype))) {
      return { id, errcode: 40008, errmsg: `invalid message type, ${hint}?e=40008` };
    }
    const part = body.msgtype === 'markdown' ? body.markdown : body.msgtype === 'text' ? body.text : undefined;
    if (part) {
      if (typeof part.content !== 'string' || part.content === '') return { id, errcode: 44004, errmsg: `empty content, ${hint}` };
      const max = body.msgtype === 'markdown' ? 4096 : 2048;
      if (bytes(part.content) > max) return { id, errcode: 40058, errmsg: `${String(body.msgtype)}.content exceed max length ${max}. invalid Request Parameter, ${hint}?e=40058` };
    }
    if (body.msgtype === 'text' && ((body.text?.mentioned_list !== undefined && !isStrings(body.text.mentioned_list))
      || (body.text?.mentioned_mobile_list !== undefined && !isStrings(body.text.mentioned_mobile_list)))) {
      return { id, errcode: 40058, errmsg: `invalid mentioned list, ${hint}` };
    }
    if (overRate(id)) return { id, errcode: 45009, errmsg: `api freq out of limit, ${hint}?e=45009` };
    accept('wecom', id, body);
    return { id, errcode: 0, errmsg: 'ok' };
  }

  const answer = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size <= MAX_BODY) chunks.push(c); });
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://robots.test');
        const raw = Buffer.concat(chunks).toString('utf8');
        if (failures.left > 0 && failures.how) {
          failures = { ...failures, left: failures.left - 1 };
          const how = failures.how!;
          if ('delayMs' in how) await new Promise((r) => setTimeout(r, how.delayMs));
          else if ('status' in how) return answer(res, how.status, how.text ?? 'Service Unavailable', 'text/plain');
          else return answer(res, 200, JSON.stringify(how));
        }
        if (req.method !== 'POST') return answer(res, 405, 'method not allowed', 'text/plain');
        const r = url.pathname === '/robot/send' ? dingTalk(url, raw)
          : url.pathname === '/cgi-bin/webhook/send' ? weCom(url, raw)
            : undefined;
        if (!r) return answer(res, 404, 'not found', 'text/plain');
        requests.set(r.id, (requests.get(r.id) ?? 0) + 1);
        if (r.errcode !== 0) refusals.push(`${r.id} ${r.errcode}`);
        return answer(res, 200, JSON.stringify({ errcode: r.errcode, errmsg: r.errmsg }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted, requests, refusals,
    addDingTalk: (token, secret) => { dingtalk.set(token, secret ? { secret } : {}); },
    addWeCom: (key) => { wecom.add(key); },
    remove: (id) => { dingtalk.delete(id); wecom.delete(id); sent.delete(id); throttledUntil.delete(id); },
    failNext: (n, how) => { failures = { left: n, how }; },
    throttle: (id, ms) => { throttledUntil.set(id, now() + ms); },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
