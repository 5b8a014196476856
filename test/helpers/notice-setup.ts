// Notice channels for tests (issue 9): a robot of the fake robots (test/helpers/robots.ts) configured
// for a unit or department through the store, as an administrator would; a person's channels; and a
// worker whose chat robots' waits are short enough for a test (the rate-limit pause Temporal retries
// after; the limiter's own clock stays the real one).
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { smtpSender } from '../../activities/mail-sender.js';
import type { ChatDeps } from '../../activities/chat.js';
import { CycleClient } from '../../client/cycle-client.js';
import type { NoticePreference, RobotChannel } from '../../domain/notice-settings.js';
import type { Store } from '../../store/index.js';
import { createWorker } from '../../worker/create-worker.js';
import type { FakeRobots } from './robots.js';
import { sharedWorkflowBundle, TEST_WORKER_OPTIONS } from './worker.js';
import { quietRuntime, serverNow } from './temporal.js';

export const ADMIN = 'operator:test';

/** The webhook address a robot of the fakes has (plain HTTP on loopback, which the schema allows). */
export function robotUrl(robots: Pick<FakeRobots, 'url'>, channel: RobotChannel, credential: string): string {
  return channel === 'dingtalk'
    ? `${robots.url}/robot/send?access_token=${encodeURIComponent(credential)}`
    : `${robots.url}/cgi-bin/webhook/send?key=${encodeURIComponent(credential)}`;
}

export interface RobotSetup {
  unit: string;
  department?: string;
  channel: RobotChannel;
  /** The access token (DingTalk) or key (WeCom). */
  credential: string;
  /** The secret the fake robot checks (DingTalk); absent: unsigned. */
  secret?: string;
  /** The secret configured in perfcycle, when it differs from the robot's (a wrong secret). */
  configuredSecret?: string;
}

/** Adds the robot to the fakes and configures it in the store; returns its robotId. */
export async function addRobot(store: Store, robots: FakeRobots, r: RobotSetup): Promise<string> {
  if (r.channel === 'dingtalk') robots.addDingTalk(r.credential, r.secret);
  else robots.addWeCom(r.credential);
  const secret = r.configuredSecret ?? r.secret;
  const summary = await store.notices.setRobot({
    unit: r.unit, ...(r.department && { department: r.department }), channel: r.channel,
    webhook: robotUrl(robots, r.channel, r.credential), ...(secret && { secret }),
  }, ADMIN);
  return summary.robotId;
}

export const choose = (store: Store, personId: string, pref: NoticePreference) => store.notices.setPreference(personId, pref, ADMIN);

/** Like test/helpers/worker.ts testWorker, with the chat robots' dependencies handed in. */
export async function channelWorker(env: TestWorkflowEnvironment, opts: { smtpUrl: string; store: Store; chat: ChatDeps }) {
  quietRuntime();
  const taskQueue = `test-${randomUUID()}`;
  const sender = smtpSender(opts.smtpUrl);
  const worker = await createWorker({
    connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue,
    deps: { sender, store: opts.store, from: 'perfcycle <perfcycle@test>', chat: opts.chat },
    workflowBundle: sharedWorkflowBundle(),
    extra: TEST_WORKER_OPTIONS,
  });
  const client = new CycleClient(env.client, { taskQueue, store: opts.store, now: () => serverNow(env) });
  return { worker, client, sender };
}
