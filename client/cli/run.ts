// The CLI's program and one run of it: the arguments in, an exit code out, everything else through the
// CliIo it is given (main.ts gives the process's own). Errors a user can fix are one line on stderr,
// without a stack, with exit code 1.
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
import { withIo, type CliIo } from './io.js';

export function buildProgram(io: CliIo, onErr: () => void = () => undefined): Command {
  const program = new Command('perfcycle')
    .description('绩效评估周期 / annual performance-evaluation cycle on Temporal')
    // Before the commands are added: they take the output from their parent when made.
    .configureOutput({ writeOut: io.write, writeErr: (text) => { onErr(); io.writeErr(text); } })
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

/** Runs `perfcycle <args…>`; resolves to its exit code. */
export function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  return withIo(io, async () => {
    let toStderr = false;
    try {
      await buildProgram(io, () => { toStderr = true; }).parseAsync([...args], { from: 'user' });
      return io.exitCode;
    } catch (err) {
      // `help` (asked for: stdout, 0; a command group without its command: stderr, 1). commander takes
      // the first from the process's exit code, which in another program is that program's.
      if (err instanceof CommanderError && err.code === 'commander.help') return toStderr ? 1 : 0;
      if (err instanceof CommanderError) return err.exitCode;
      io.writeErr(`错误 / error: ${(err as Error).message}\n`);
      return 1;
    }
  });
}
