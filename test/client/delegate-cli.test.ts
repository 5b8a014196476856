// 委托 / 转办 from the CLI (issue 11): a signed-in person hands an item to a colleague of the directory,
// lists the cycle's delegations and takes one back, in words (names, titles, days), never ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleClient } from '../../client/cycle-client.js';
import { operatorActor } from '../../client/operator.js';
import { DateTime } from 'luxon';
import { cliServer, runCli, signInAll, startCycle, type CliRun, type CliServer } from '../helpers/cli.js';
import { exampleCycle, tempDir } from '../helpers/cycle.js';

const dir = tempDir('delegate-cli');
const YEAR = new Date().getFullYear() + 1;
const DEPUTY = { id: 'deputy-fang', name: '方敏（局办公室副主任）', email: 'fang@jinjiang.example', lang: 'zh-CN' as const };

let server: CliServer;
let client: CycleClient;
let cycleId: string;
const cli = (...args: string[]): Promise<CliRun> => runCli(args, server.cliEnv);

beforeAll(async () => {
  server = await cliServer(dir);
  ({ client } = server);
  const cycle = exampleCycle('cli-delegate', (f) => { f.year = YEAR; f.calendar = {}; });
  cycleId = await startCycle(client, cycle);
  await client.store.directory.importDirectory({ units: [{ id: cycle.unit.id, name: cycle.unit.name }], departments: [], people: [{ ...DEPUTY, unit: cycle.unit.id }] }, operatorActor());
  await signInAll(client, server.cliEnv, ['office-lin', 'head-zheng', DEPUTY.id]);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('perfcycle delegate / delegations / undelegate', () => {
  it('hands the plan to a colleague and takes it back, saying who acts for whom on what', { timeout: 120_000 }, async () => {
    const made = await cli('delegate', cycleId, '--to', DEPUTY.id, '--item', 'plan', '--reason', '出差', '--as', 'office-lin');
    expect(made.stderr).toBe('');
    expect(made.stdout.trim()).toBe('已委托 / delegated: 1. 方敏（局办公室副主任） 代 林晓燕（局办公室） 办理「绩效评估工作方案及"三定"规定」，理由：出差');
    // A span, in days as people write them.
    const today = DateTime.now().setZone('Asia/Shanghai');
    const [start, end] = [today.toISODate()!, today.plus({ days: 6 }).toISODate()!];
    const span = await cli('delegate', cycleId, '--to', DEPUTY.id, '--start', start, '--end', end, '--as', 'head-zheng');
    expect(span.stdout).toContain(`2. 方敏（局办公室副主任） 代 郑伟（规划科科长） 办理${today.year}年${today.month}月${today.day}日至`);
    // Someone else's work only through the coordinator: a head is refused, and told so.
    const refused = await cli('delegate', cycleId, '--to', DEPUTY.id, '--item', 'plan', '--for', 'office-lin', '--as', 'head-zheng');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/无权替 林晓燕（局办公室） 委托/);

    const back = await cli('undelegate', cycleId, '1', '--as', 'office-lin');
    expect(back.stdout).toMatch(/^已收回 \/ revoked: 1\. 方敏（局办公室副主任） 代 林晓燕（局办公室） 办理「.*」，理由：出差（已于 \d{4}年\d+月\d+日 \d\d:\d\d 收回）$/m);
    const list = await cli('delegations', cycleId, '--as', 'head-zheng');
    expect(list.stdout.trim().split('\n')).toHaveLength(2);
    expect(list.stdout).not.toMatch(/deputy-fang|office-lin|head-zheng/);
    const json = JSON.parse((await cli('delegations', cycleId, '--as', 'head-zheng', '--json')).stdout) as { id: number; to: string; revokedBy?: string }[];
    expect(json.map((d) => [d.id, d.to, d.revokedBy ?? null])).toEqual([[1, DEPUTY.id, 'office-lin'], [2, DEPUTY.id, null]]);
  });
});
