// DingTalk custom robot (自定义机器人) of a group: POST {baseUrl}/robot/send?access_token=…, signed
// ("加签") with timestamp (ms) and sign = urlencode(base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)))
// as query parameters; a markdown message `{ msgtype, markdown: { title, text }, at: { atMobiles, isAtAll } }`;
// the answer `{ errcode, errmsg }` with HTTP 200, errcode 0 when sent.
//
// The codes, as DingTalk answers them (sources: DingTalk's 自定义机器人接入 page, copied in third-party
// posts, and users' reports of the live service; found with the project's search, 2026):
//   0       ok
//   310000  security settings not met; errmsg says which (DingTalk's "常见错误" list, quoted at
//           https://blog.51cto.com/u_16207237/7125181 and https://blog.csdn.net/juziaixiao/article/details/106617045):
//             "sign not match"               → permanent bad-secret
//             "invalid timestamp"            → permanent clock-skew (timestamp outside 1 hour of DingTalk's clock)
//             "keywords not in content"      → permanent security-setting
//             "ip X.X.X.X not in whitelist"  → permanent security-setting
//   300001  "token is not exist" (robot removed or token wrong)
//           (github.com/timonwong/prometheus-webhook-dingtalk/issues/91, sdvdxl/falcon-message#7) → permanent robot-removed
//   300005  "token is not exist" (same, seen for external groups; timonwong/prometheus-webhook-dingtalk#226) → permanent robot-removed
//   130101  "send too fast, exceed 20 times per minute": 20 messages a minute per robot, and when exceeded
//           the robot is throttled for 10 minutes (github.com/ccfos/nightingale/issues/369; the 调用频率限制
//           section, quoted at https://juejin.cn/post/7129698690297495583) → rate-limited, retry after 10 min
//   460101  "message too long, exceed 20000 bytes" (github.com/Le0nsec/SecCrawler/issues/12,
//           timonwong/prometheus-webhook-dingtalk#30; older 101002 "message is too long") → permanent bad-message
//   -1      系统繁忙 (DingTalk's global codes, https://mabiji.com/dingtalk/errcode.html) → temporary
//   other   → permanent 'rejected' with DingTalk's words (a refused message falls back to e-mail at once
//           rather than being retried blindly); HTTP 5xx, timeouts, network errors → temporary.
import { createHmac } from 'node:crypto';
import {
  byteLength, DEFAULT_TIMEOUT_MS, isOutcome, postRobot, redact, robotId,
  type Channel, type ChannelMessage, type RobotDeps, type SendOutcome,
} from './channel.js';

export const DINGTALK_BASE_URL = 'https://oapi.dingtalk.com';
/** The robot's limit on a request body (460101 beyond it). */
export const DINGTALK_MAX_BODY_BYTES = 20_000;
/** 20 a minute per robot; over it, 10 minutes of 130101. */
export const DINGTALK_RATE = { limit: 20, windowMs: 60_000, penaltyMs: 10 * 60_000 };

export interface DingTalkRobot {
  accessToken: string;
  /** The "加签" secret (SEC…); a robot secured by keyword or IP only has none. */
  secret?: string;
}

/** A robot from the webhook address DingTalk shows (…/robot/send?access_token=…) and its secret. */
export function dingTalkRobotFromUrl(webhook: string, secret?: string): DingTalkRobot {
  const token = new URL(webhook).searchParams.get('access_token');
  if (!token) throw new Error('钉钉机器人地址缺少 access_token / DingTalk webhook has no access_token');
  return { accessToken: token, ...(secret && { secret }) };
}

/** base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)); the query string URL-encodes it. */
export function dingTalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

export function classifyDingTalk(errcode: number, errmsg: string): SendOutcome {
  const code = String(errcode);
  const message = errmsg;
  if (errcode === 0) return { status: 'sent' };
  if (errcode === 130101) return { status: 'rate-limited', retryAfterMs: DINGTALK_RATE.penaltyMs, code, message };
  if (errcode === 310000) {
    const m = errmsg.toLowerCase();
    const reason = m.includes('sign') ? 'bad-secret' : m.includes('timestamp') ? 'clock-skew' : 'security-setting';
    return { status: 'permanent', reason, code, message };
  }
  if (errcode === 300001 || errcode === 300005) return { status: 'permanent', reason: 'robot-removed', code, message };
  if (errcode === 460101 || errcode === 101002) return { status: 'permanent', reason: 'bad-message', code, message };
  if (errcode === -1) return { status: 'temporary', code, message };
  return { status: 'permanent', reason: 'rejected', code, message };
}

export function dingTalkChannel(robot: DingTalkRobot, deps: RobotDeps = {}): Channel {
  const base = (deps.baseUrl ?? DINGTALK_BASE_URL).replace(/\/$/, '');
  const now = deps.now ?? Date.now;
  const secrets = [robot.accessToken, robot.secret];

  const payload = (m: ChannelMessage) => {
    const mobiles = [...new Set(m.mentions?.mobiles ?? [])];
    // DingTalk highlights a mention only where the text says "@<mobile>".
    const tail = mobiles.length ? `\n\n${mobiles.map((p) => `@${p}`).join(' ')}` : '';
    const at = { atMobiles: mobiles, isAtAll: false };
    return m.format === 'markdown'
      ? { msgtype: 'markdown', markdown: { title: m.title, text: m.body + tail }, at }
      : { msgtype: 'text', text: { content: m.body + tail }, at };
  };

  return {
    kind: 'dingtalk',
    robotId: robotId('dingtalk', robot.accessToken),
    formatFor: () => 'markdown',
    fits: (m) => byteLength(JSON.stringify(payload(m))) <= DINGTALK_MAX_BODY_BYTES,
    async send(m) {
      if (byteLength(JSON.stringify(payload(m))) > DINGTALK_MAX_BODY_BYTES) {
        return { status: 'permanent', reason: 'bad-message', code: 'too-long', message: `body over ${DINGTALK_MAX_BODY_BYTES} bytes, not sent` };
      }
      const url = new URL(`${base}/robot/send`);
      url.searchParams.set('access_token', robot.accessToken);
      if (robot.secret) {
        const timestamp = now();
        url.searchParams.set('timestamp', String(timestamp));
        url.searchParams.set('sign', dingTalkSign(robot.secret, timestamp));
      }
      const answer = await postRobot(url, payload(m), deps.timeoutMs ?? DEFAULT_TIMEOUT_MS, secrets);
      if (isOutcome(answer)) return answer;
      const outcome = classifyDingTalk(answer.errcode!, answer.errmsg ?? '');
      return 'message' in outcome ? { ...outcome, message: redact(outcome.message, secrets) } : outcome;
    },
  };
}
