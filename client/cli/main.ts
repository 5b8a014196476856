// `npx perfcycle …` (bin/perfcycle.js bundles and runs this): the CLI on the process's own arguments,
// environment and standard streams.
import { processIo } from './io.js';
import { runCommand } from './run.js';

const code = await runCommand(process.argv.slice(2), processIo());
// A failed command ends here even if a connection it opened has not closed yet.
if (code !== 0) process.exit(code);
