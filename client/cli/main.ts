// `npx perfcycle …`: errors a user can fix go to stderr without a stack, with exit code 1.
import { Command, CommanderError } from 'commander';
import { registerAdminCommands } from './admin-commands.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerAuthCommands } from './auth-commands.js';
import { registerChaseCommands } from './chase-commands.js';
import { registerCycleCommands } from './cycle-commands.js';
import { registerGradeCommand } from './grade-command.js';
import { registerGradingCommands } from './grading-commands.js';
import { registerLedgerCommand } from './ledger-command.js';
import { registerScoreCommands } from './score-commands.js';
import { registerOutboxCommand } from './outbox-command.js';

export function buildProgram(): Command {
  const program = new Command('perfcycle')
    .description('绩效评估周期 / annual performance-evaluation cycle on Temporal')
    .showHelpAfterError()
    .exitOverride();
  registerAuthCommands(program);
  registerCycleCommands(program);
  registerChaseCommands(program);
  registerAdminCommands(program);
  registerAuditCommands(program);
  registerGradeCommand(program);
  registerScoreCommands(program);
  registerGradingCommands(program);
  registerOutboxCommand(program);
  registerLedgerCommand(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`错误 / error: ${(err as Error).message}\n`);
  process.exit(1);
}
