// Small JSON files the portal keeps under DATA_DIR: written to a temp file and renamed, so a crash
// never leaves half a file; writes to one path are queued so two requests never interleave.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const queues = new Map<string, Promise<unknown>>();

export async function readJson<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  }
}

async function writeJson(path: string, value: unknown, mode?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, mode ? { mode } : {});
  await rename(tmp, path);
}

/** Read, change and write one file with no other change to it in between (within this process). */
export function updateJson<T, R>(path: string, fallback: T, change: (value: T) => R | Promise<R>, mode?: number): Promise<R> {
  return enqueue(path, async () => {
    const value = await readJson(path, fallback);
    const result = await change(value);
    await writeJson(path, value, mode);
    return result;
  });
}

function enqueue<R>(path: string, job: () => Promise<R>): Promise<R> {
  const run = (queues.get(path) ?? Promise.resolve()).catch(() => undefined).then(job);
  queues.set(path, run);
  return run;
}

/** Replace a file's whole content, queued behind any change in progress. */
export function replaceJson(path: string, value: unknown): Promise<void> {
  return enqueue(path, () => writeJson(path, value));
}
