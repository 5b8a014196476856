// `perfcycle grading start / result, bonus`'s command lines; what they do: ../grading-commands.ts.
import type { Command } from 'commander';
import { AS_HELP, loadOnRun } from './shared.js';

const run = loadOnRun(() => import('../grading-commands.js'));

export function registerGradingCommands(program: Command): void {
  const grading = program.command('grading').description('全市参评单位等次评定 / the city\'s grading across units');
  grading.command('start')
    .description('收集各周期的得分和否决情形，连同系统外单位评定等次，并通知各单位 / grade running cycles and external units, and publish')
    .requiredOption('--year <year>', '评估年度 / evaluation year')
    .option('--cycles <ids>', '周期 id，逗号分隔 / cycle ids, comma-separated', '')
    .option('--external <file>', '系统外单位 JSON [{"unit","score","vetoes":[]}] / units outside the system')
    .option('--rules <file>', '评定规则 JSON / grading rules (docs/grading.md)')
    .option('--as <id>', AS_HELP)
    .option('--operator', '直接连接 Temporal 发起，记为操作员 / start it directly, recorded as the operator')
    .option('--json', 'JSON')
    .action(run('startGrading'));
  grading.command('result <year>')
    .description('该年度的评定结果 / the grading result of a year')
    .option('--json', 'JSON')
    .action(run('gradingResult'));

  program.command('bonus <cycle>')
    .description('按本单位等次和花名册生成绩效奖发放名单 / the bonus list from the unit\'s grade and a staff roster')
    .requiredOption('--roster <file>', '花名册 .csv/.xlsx/.json / staff roster')
    .option('--out <file>', '输出 .xlsx 或 .csv / write the list as .xlsx or .csv')
    .option('--json', 'JSON')
    .action(run('bonus'));
}
