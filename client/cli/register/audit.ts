// `perfcycle audit`'s command line; what it does: ../audit-commands.ts.
import type { Command } from 'commander';
import { loadOnRun } from './shared.js';

const run = loadOnRun(() => import('../audit-commands.js'));

export function registerAuditCommands(program: Command): void {
  program.command('audit <cycle> [cycleToVerify]')
    .description('审计记录 / audit trail;  audit verify <cycle>: 校验审计链 / check the audit\'s hash chain')
    .option('--format <format>', 'json | csv | table', 'table')
    .action(run('audit'));
}
