// `npx perfcycle …`: errors a user can fix go to stderr without a stack, with exit code 1.
import { Command, CommanderError } from 'commander';
// Only the commands' lines (register/): a command's code and what it needs (the Temporal client, the database,
// exceljs…) load when that command runs, so `--help` or a usage error starts in a fraction of the time.
import { registerAdminCommands } from './register/admin.js';
import { registerAuditCommands } from './register/audit.js';
import { registerAuthCommands } from './register/auth.js';
import { registerChaseCommands } from './register/chase.js';
import { registerCycleCommands } from './register/cycle.js';
import { registerGradeCommand } from './register/grade.js';
import { registerGradingCommands } from './register/grading.js';
import { registerLedgerCommand } from './register/ledger.js';
import { registerScoreCommands } from './register/score.js';
import { registerOutboxCommand } from './register/outbox.js';

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
