// The CLI's TypeScript bundled by esbuild into .tools/cli, made on first use and made again once any
// source it was made from is newer: loading the modules one by one through tsx's loader cost a command
// three times the CPU (`perfcycle status`: 2.4 s against 0.7 s on the build machine). Each build has a
// directory of its own and `current.json` names the newest, so a command still running keeps its chunks.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOME = join(ROOT, '.tools', 'cli');
const CURRENT = join(HOME, 'current.json');
/** Builds older than this are removed when a new one is made (none is still running by then). */
const KEEP_MS = 3_600_000;

function current() {
  try {
    const c = JSON.parse(readFileSync(CURRENT, 'utf8'));
    // This file too: a bundle made under other settings is made again.
    return [...c.inputs, 'bin/cli-bundle.js'].every((p) => statSync(join(ROOT, p)).mtimeMs < c.builtAt) ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Bundled with the sources: the packages every command loads, which Node would otherwise load file by
 * file (half of a command's CPU went to loading modules), and packages' JSON data, which Node would
 * import only with an attribute tsx spares the sources. Other packages stay in node_modules: they find
 * files beside themselves (PGlite's wasm), are native (the Temporal core), or load only with their command.
 */
const INSIDE = new Set(['commander', 'zod', 'luxon', 'yaml']);
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const packagesChosen = {
  name: 'packages-chosen',
  setup(b) {
    const require = createRequire(join(ROOT, 'package.json'));
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (/\.json$/.test(args.path)) return { path: require.resolve(args.path) };
      if (INSIDE.has(packageOf(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};
/** A CommonJS package bundled into ES modules requires Node's built-ins through this. */
const REQUIRE_BANNER = "import { createRequire as __perfcycleRequire } from 'node:module'; const require = __perfcycleRequire(import.meta.url);";

/** Bundles the CLI into `dir`; returns the sources it was made from. */
async function bundleInto(dir) {
  const { build } = await import('esbuild');
  const { metafile } = await build({
    absWorkingDir: ROOT, entryPoints: ['client/cli/main.ts'], outdir: dir, bundle: true, splitting: true,
    platform: 'node', format: 'esm', target: 'node20', plugins: [packagesChosen], metafile: true, logLevel: 'silent',
    banner: { js: REQUIRE_BANNER },
  });
  // A module that finds files beside itself would look in the wrong place once bundled: such a CLI runs from its sources.
  for (const out of Object.keys(metafile.outputs)) {
    const code = readFileSync(join(ROOT, out), 'utf8').replace(REQUIRE_BANNER, '');
    if (/import\.meta|\b__dirname\b|\b__filename\b/.test(code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''))) throw new Error(`${out} looks for files beside itself`);
  }
  return Object.keys(metafile.inputs);
}

async function rebuild() {
  const builtAt = Date.now();
  const dir = join(HOME, `${builtAt}-${process.pid}`);
  const inputs = await bundleInto(dir).catch((err) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  const c = { builtAt, dir, inputs };
  writeFileSync(`${CURRENT}.${process.pid}`, JSON.stringify(c));
  renameSync(`${CURRENT}.${process.pid}`, CURRENT);
  for (const old of readdirSync(HOME)) {
    const at = Number(old.split('-')[0]);
    if (at && at < builtAt - KEEP_MS) rmSync(join(HOME, old), { recursive: true, force: true });
  }
  return c;
}

/** The bundle's entry as a URL to import, or undefined when none can be made here (read-only install: run the sources). */
export async function cliBundle() {
  try {
    mkdirSync(HOME, { recursive: true });
    const c = current() ?? (await rebuild());
    return pathToFileURL(join(c.dir, 'main.js')).href;
  } catch {
    return undefined;
  }
}
