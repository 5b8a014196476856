// `perfcycle urge / extend / delegate / delegations / undelegate`'s command lines; what they do: ../chase-commands.ts.
import type { Command } from 'commander';
import { AS_HELP, loadOnRun } from './shared.js';

const run = loadOnRun(() => import('../chase-commands.js'));

export function registerChaseCommands(program: Command): void {
  program.command('urge <cycle> <deliverable>')
    .description('催办：立即发邮件提醒现在应办理的人（每人每天一次）/ urge whoever must act on an item now: one mail at once (once a day per person)')
    .option('--as <id>', AS_HELP)
    .option('--message <text>', '留言 / words for the person urged')
    .option('--json', 'JSON')
    .action(run('urge'));

  program.command('extend <cycle> <deliverable>')
    .description('延期：把事项的期限推后（局办公室）/ extend an item\'s deadline to a later day (the coordinator)')
    .option('--as <id>', AS_HELP)
    .requiredOption('--due <date>', '新的期限 YYYY-MM-DD，须在今天以后 / the new due date, after today')
    .requiredOption('--reason <text>', '延期理由 / why')
    .option('--json', 'JSON')
    .action(run('extend'));

  program.command('delegate <cycle>')
    .description('委托 / 转办：把一个事项（--item）或一段时间内的全部事项（--start 与 --end）交给组织目录中的同事代为办理 / hand one item, or all your items for a span of days, to a colleague')
    .option('--as <id>', AS_HELP)
    .requiredOption('--to <person>', '受托同事（组织目录中的编号）/ the colleague who acts (a directory id)')
    .option('--item <deliverable>', '一个事项 / one item')
    .option('--start <date>', '委托期间第一天 YYYY-MM-DD / first day of the span')
    .option('--end <date>', '委托期间最后一天 YYYY-MM-DD（最长 92 天）/ last day of the span (at most 92 days)')
    .option('--for <person>', '替谁委托（局办公室转办）/ whose work to hand on (the coordinator only)')
    .option('--reason <text>', '理由 / why')
    .option('--json', 'JSON')
    .action(run('delegate'));

  program.command('delegations <cycle>')
    .description('本周期的委托（含已收回的）/ the delegations of a cycle, revoked ones too')
    .option('--as <id>', AS_HELP)
    .option('--json', 'JSON')
    .action(run('delegations'));

  program.command('undelegate <cycle> <number>')
    .description('收回委托（委托人、被代办人或局办公室）/ take a delegation back')
    .option('--as <id>', AS_HELP)
    .option('--json', 'JSON')
    .action(run('undelegate'));
}
