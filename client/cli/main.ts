// `npx perfcycle …` (bin/perfcycle.js bundles and runs this): the CLI on the process's own arguments,
// environment and standard streams.
import { processIo } from './io.js';
import { runCommand } from './run.js';

const io = processIo();
const code = await runCommand(process.argv.slice(2), io);
// A command that failed ends here even if a connection it opened has not closed yet; one that finished
// with a finding (io.exitCode) ends when its output is written.
if (code !== 0 && code !== io.exitCode) process.exit(code);
process.exitCode = code;
