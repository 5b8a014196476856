// `perfcycle grade`'s command line; what it does: ../grade-command.ts.
import type { Command } from 'commander';
import { loadOnRun } from './shared.js';

const run = loadOnRun(() => import('../grade-command.js'));

export function registerGradeCommand(program: Command): void {
  program
    .command('grade')
    .description('评定参评单位等次 / grade all participating units from a JSON list of {"unit","score","vetoes":[]}')
    .requiredOption('--input <file>', 'JSON 数组 / JSON array of {"unit","score","vetoes":[]}')
    .option('--json', '输出 JSON / print a JSON array of {unit, score, rank, grade, reason}')
    .option('--rules <file>', '评定规则 JSON（阈值、名额、取整、同分规则）/ grading rules JSON (thresholds, quotas, rounding, ties)')
    .action(run('grade'));
}
