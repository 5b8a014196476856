// WeCom group robot (企业微信群机器人): POST {baseUrl}/cgi-bin/webhook/send?key=…, a markdown message
// `{ msgtype: 'markdown', markdown: { content } }` (content ≤ 4096 bytes, UTF-8) or a text message
// `{ msgtype: 'text', text: { content, mentioned_list, mentioned_mobile_list } }` (content ≤ 2048 bytes).
// Markdown mentions only by userid, written `<@userid>` in the content; a mention by mobile number
// exists only in the text type (mentioned_mobile_list), so a message that mentions by mobile is sent as
// text (群机器人配置说明, https://developer.work.weixin.qq.com/document/path/91770; the limits as quoted in
// github.com/lsiten/listen-agent-skills skills/wechat-work-notification/README.md and
// github.com/zhyhang/webhook-bridge WxWorkRobotMdMsg.java).
//
// The codes (HTTP 200, `{ errcode, errmsg }`; sources: users' reports of the live service, found with
// the project's search, 2026):
//   0      ok
//   93000  "invalid webhook url" — the key is wrong or the robot was removed
//          (github.com/wes-lin/Cloud189Checkin/issues/175, zema1/watchvuln#146)        → permanent bad-key
//   45009  "api freq out of limit" — over 20 messages a minute per robot (91770 消息发送频率限制, quoted in
//          the weworkbot package's typings; errmsg in WecomTeam/wecom-openclaw-plugin#48) → rate-limited, 1 min
//   40008  "invalid message type" (WeChat's global codes)                                → permanent bad-message
//   40058  "markdown.content exceed max length 4096. invalid Request Parameter"
//          (github.com/dromara/domain-admin/issues/82)                                    → permanent bad-message
//   -1     system busy                                                                    → temporary
//   other  → permanent 'rejected' with WeCom's words; HTTP 5xx, timeouts, network errors → temporary.
import {
  byteLength, DEFAULT_TIMEOUT_MS, isOutcome, postRobot, redact, robotId,
  type Channel, type ChannelMessage, type Mentions, type RobotDeps, type SendOutcome,
} from './channel.js';

export const WECOM_BASE_URL = 'https://qyapi.weixin.qq.com';
export const WECOM_MAX_BYTES = { markdown: 4096, text: 2048 } as const;
/** 20 a minute per robot. */
export const WECOM_RATE = { limit: 20, windowMs: 60_000, penaltyMs: 60_000 };

export interface WeComRobot { key: string }

/** A robot from the webhook address WeCom shows (…/cgi-bin/webhook/send?key=…). */
export function weComRobotFromUrl(webhook: string): WeComRobot {
  const key = new URL(webhook).searchParams.get('key');
  if (!key) throw new Error('企业微信机器人地址缺少 key / WeCom webhook has no key');
  return { key };
}

export function classifyWeCom(errcode: number, errmsg: string): SendOutcome {
  const code = String(errcode);
  const message = errmsg;
  if (errcode === 0) return { status: 'sent' };
  if (errcode === 45009) return { status: 'rate-limited', retryAfterMs: WECOM_RATE.penaltyMs, code, message };
  if (errcode === 93000) return { status: 'permanent', reason: 'bad-key', code, message };
  if (errcode === 40008 || errcode === 40058) return { status: 'permanent', reason: 'bad-message', code, message };
  if (errcode === -1) return { status: 'temporary', code, message };
  return { status: 'permanent', reason: 'rejected', code, message };
}

const mobilesOf = (m?: Mentions) => [...new Set(m?.mobiles ?? [])];
const userIdsOf = (m?: Mentions) => [...new Set(m?.userIds ?? [])];

export function weComChannel(robot: WeComRobot, deps: RobotDeps = {}): Channel {
  const base = (deps.baseUrl ?? WECOM_BASE_URL).replace(/\/$/, '');
  const secrets = [robot.key];

  const content = (m: ChannelMessage) => (m.format === 'markdown'
    ? m.body + (userIdsOf(m.mentions).length ? `\n${userIdsOf(m.mentions).map((id) => `<@${id}>`).join(' ')}` : '')
    : m.body);
  const payload = (m: ChannelMessage) => (m.format === 'markdown'
    ? { msgtype: 'markdown', markdown: { content: content(m) } }
    : {
      msgtype: 'text',
      text: {
        content: content(m),
        ...(userIdsOf(m.mentions).length && { mentioned_list: userIdsOf(m.mentions) }),
        ...(mobilesOf(m.mentions).length && { mentioned_mobile_list: mobilesOf(m.mentions) }),
      },
    });
  const fits = (m: ChannelMessage) => byteLength(content(m)) <= WECOM_MAX_BYTES[m.format];

  return {
    kind: 'wecom',
    robotId: robotId('wecom', robot.key),
    formatFor: (mentions) => (mobilesOf(mentions).length ? 'text' : 'markdown'),
    fits,
    async send(m) {
      if (m.format === 'markdown' && mobilesOf(m.mentions).length) {
        return { status: 'permanent', reason: 'bad-message', code: 'mention', message: 'WeCom markdown cannot mention by mobile: send it as text' };
      }
      if (!fits(m)) {
        return { status: 'permanent', reason: 'bad-message', code: 'too-long', message: `${m.format} content over ${WECOM_MAX_BYTES[m.format]} bytes, not sent` };
      }
      const url = new URL(`${base}/cgi-bin/webhook/send`);
      url.searchParams.set('key', robot.key);
      const answer = await postRobot(url, payload(m), deps.timeoutMs ?? DEFAULT_TIMEOUT_MS, secrets);
      if (isOutcome(answer)) return answer;
      const outcome = classifyWeCom(answer.errcode!, answer.errmsg ?? '');
      return 'message' in outcome ? { ...outcome, message: redact(outcome.message, secrets) } : outcome;
    },
  };
}
