// What the command registrations share. They hold only a command's line (name, arguments, options, help):
// every `perfcycle …` registers all commands, so what they import is loaded by each call, `--help` too.
// A command's code, with the Temporal client, the database and exceljs behind it, loads when it runs.

/**
 * An action that imports its module when the command runs. `load` is an `import()` of a literal path:
 * TypeScript checks the export's name against that module without loading it here.
 */
export function loadOnRun<M>(load: () => Promise<M>) {
  return <K extends keyof M & string>(name: K) => async (...args: unknown[]): Promise<void> => {
    const run = (await load())[name] as (...a: unknown[]) => unknown;
    await run(...args);
  };
}

/** The help of the person commands' `--as`: it picks one of the stored sign-ins, nothing more. */
export const AS_HELP = '以哪个已登录身份（见 perfcycle login）/ which signed-in identity to use (see perfcycle login)';
