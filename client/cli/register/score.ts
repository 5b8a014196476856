// `perfcycle targets / evidence / mark / figure / vetoes / score`'s command lines; what they do: ../score-commands.ts.
import type { Command } from 'commander';
import type { FigureName } from '../../../domain/score-sheet.js';
import type { EVIDENCE_CATEGORIES as CATEGORIES } from '../../../domain/target-ledger.js';
import { AS_HELP, loadOnRun } from './shared.js';

const run = loadOnRun(() => import('../score-commands.js'));

// The words of the help, as the domain has them. Copied: importing the domain modules would load zod at
// every start-up; the types hold each copy to its original (`as const` there: the very strings).
const EVIDENCE_CATEGORIES: typeof CATEGORIES = {
  paper: { zh: '纸质', en: 'paper' },
  image: { zh: '图片', en: 'image' },
  'audio-video': { zh: '音像', en: 'audio/video' },
};
const FIGURE_NAMES = Object.keys({
  publicReview: 0, windowReview: 0, approvalService: 0, partyBuilding: 0, incentive: 0, inspection: 0,
} satisfies Record<FigureName, 0>);

export function registerScoreCommands(program: Command): void {
  const targets = program.command('targets').description('考评表 / the target table');
  targets.command('import <cycle>')
    .description('导入考评表（CSV/XLSX/JSON），有误则不导入并列出行和列 / import the target table; a bad file changes nothing')
    .requiredOption('--file <file>', '考评表 .csv/.xlsx/.json / target table')
    .option('--as <id>', AS_HELP)
    .option('--json', 'JSON')
    .action(run('importTargets'));
  targets.command('list <cycle>')
    .description('列出目标 / list the targets')
    .option('--json', 'JSON')
    .action(run('listTargets'));

  const evidence = program.command('evidence').description('佐证材料 / evidence per target');
  evidence.command('add <cycle> <target>')
    .description('报送佐证材料（文件按 SHA-256 保存）/ file an evidence item (stored under its SHA-256)')
    .requiredOption('--category <category>', `${Object.entries(EVIDENCE_CATEGORIES).map(([k, v]) => `${k} ${v.zh}`).join(' | ')}`)
    .requiredOption('--file <path>', '文件 / the file')
    .option('--as <id>', AS_HELP)
    .option('--note <text>', '说明 / a note')
    .option('--json', 'JSON')
    .action(run('addEvidence'));
  evidence.command('list <cycle>')
    .description('按目标列出佐证材料 / evidence listed per target')
    .option('--json', 'JSON')
    .action(run('listEvidence'));

  program.command('mark <cycle> <target> <mark>')
    .description('考评组对目标打分（0..分值）；更正须 --reason / the review team marks a target; a correction needs --reason')
    .option('--as <id>', AS_HELP)
    .option('--reason <text>', '更正理由 / reason for a correction')
    .option('--note <text>', '说明 / a note')
    .option('--json', 'JSON')
    .action(run('mark'));

  program.command('figure <cycle> <figure> <value>')
    .description(`市效能办录入考评数据；value 为 n/a 表示不适用；更正须 --reason / enter a figure (${FIGURE_NAMES.join(', ')})`)
    .requiredOption('--source <text>', '数据来源 / where the figure comes from')
    .option('--as <id>', AS_HELP)
    .option('--reason <text>', '更正理由 / reason for a correction')
    .option('--json', 'JSON')
    .action(run('figure'));

  program.command('vetoes <cycle> [veto...]')
    .description('市效能办认定否决情形（不列则为无）/ the efficiency office sets the veto cases (none if omitted)')
    .requiredOption('--source <text>', '认定依据 / source')
    .option('--as <id>', AS_HELP)
    .option('--reason <text>', '更正理由 / reason for a correction')
    .action(run('vetoes'));

  program.command('score <cycle>')
    .description('综合得分及构成，或尚缺的数据 / the score with its breakdown, or what is still missing')
    .option('--json', 'JSON')
    .action(run('score'));
}
