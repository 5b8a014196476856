// `perfcycle cycle start / validate, status, submit, approve, reject`'s command lines; what they do: ../cycle-commands.ts.
import type { Command } from 'commander';
import { AS_HELP, loadOnRun } from './shared.js';

const run = loadOnRun(() => import('../cycle-commands.js'));

export function registerCycleCommands(program: Command): void {
  const cycle = program.command('cycle').description('评估周期 / evaluation cycles');
  cycle.command('start')
    .description('按周期文件启动评估周期，输出周期 id / start a cycle from a cycle file; prints the cycle id')
    .requiredOption('--config <file>', '周期文件 JSON/YAML / cycle file')
    .option('--as <user>', `${AS_HELP}；不写则以运维人员身份直接启动 / without it: started directly, as the operator`)
    .action(run('startCycle'));
  cycle.command('validate')
    .description('检查周期文件并列出各阶段期限 / check a cycle file and list its deadlines')
    .requiredOption('--config <file>', '周期文件 / cycle file')
    .option('--json', 'JSON')
    .action(run('validateCycle'));

  program.command('status <cycle>')
    .description('周期状态 / status of a cycle')
    .option('--json', '输出 JSON / one JSON document')
    .action(run('status'));

  program.command('submit <cycle> <deliverable>')
    .description('提交材料 / submit a deliverable')
    .option('--as <id>', AS_HELP)
    .option('--note <text>', '说明 / a note')
    .option('--file <path...>', '附件 / attached files')
    .option('--json', 'JSON')
    .action(run('submit'));

  program.command('approve <cycle> <deliverable>')
    .description('审核通过 / approve')
    .option('--as <id>', AS_HELP)
    .option('--comment <text>', '意见 / comment')
    .option('--json', 'JSON')
    .action(run('approve'));

  program.command('reject <cycle> <deliverable>')
    .description('退回 / reject with a reason')
    .option('--as <id>', AS_HELP)
    .requiredOption('--reason <text>', '退回理由 / reason')
    .option('--due <date>', '新的期限 YYYY-MM-DD / new due date')
    .option('--json', 'JSON')
    .action(run('reject'));
}
