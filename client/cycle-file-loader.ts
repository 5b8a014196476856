// Reads a cycle file (JSON or YAML) and resolves it; every error names the file and the field.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { CycleFileError, parseCycleFile } from '../domain/cycle-file.js';
import { resolveCycle, type CycleInput } from '../domain/cycle.js';
import { UserError } from './errors.js';

export function resolveCycleData(data: unknown, source = '(input)'): CycleInput {
  try {
    return resolveCycle(parseCycleFile(data));
  } catch (err) {
    if (err instanceof CycleFileError) throw new UserError(`${source}: ${err.message}`);
    throw err;
  }
}

/** The file's data as written (JSON or YAML), before the directory fills in its people. */
export async function readCycleFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`无法读取周期文件 / cannot read cycle file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    data = parseYaml(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UserError(`${path}: 不是有效的 JSON/YAML / not valid JSON or YAML: ${(err as Error).message}`);
  }
  return data;
}

export async function loadCycleFile(path: string): Promise<CycleInput> {
  return resolveCycleData(await readCycleFile(path), path);
}
