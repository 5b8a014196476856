import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCycleFile, type CycleFile } from '../../domain/cycle-file.js';
import { resolveCycle, type CycleInput } from '../../domain/cycle.js';

export function exampleFile(): CycleFile {
  return parseCycleFile(JSON.parse(readFileSync(new URL('../../examples/jinjiang-2019.json', import.meta.url), 'utf8')));
}

/** The example cycle file under a unique unit id, so tests sharing one server never collide. */
export function exampleCycleFile(suffix: string, edit: (f: CycleFile) => void = () => {}): CycleFile {
  const file = exampleFile();
  file.unit = { ...file.unit, id: `${file.unit.id}-${suffix}` };
  edit(file);
  return file;
}

export function exampleCycle(suffix: string, edit: (f: CycleFile) => void = () => {}): CycleInput {
  return resolveCycle(exampleCycleFile(suffix, edit));
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `perfcycle-${prefix}-`));
}
