// The test run's temp dirs (databases, PostgreSQL clusters of 40 MB each, outboxes, CLI homes) all go
// under one directory that the global teardown removes: the test files and every process they start
// inherit it as TMPDIR. Before this, each run left some eighty behind. A run that was killed leaves its
// directory; the next run removes it once the process that made it is gone.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RUN_PREFIX = 'perfcycle-test-';
const OWNER = 'owner.pid';

/** A new directory for this run under `root`, after removing those of runs whose process is gone. */
export function runTempDir(root = tmpdir()): string {
  removeStaleRuns(root);
  const dir = mkdtempSync(join(root, RUN_PREFIX));
  writeFileSync(join(dir, OWNER), String(process.pid));
  // As root the tests' PostgreSQL runs as the `postgres` user, which must reach its cluster in here.
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * Removes the directories of this user's earlier runs whose process has ended; returns their names.
 * Another user's directory in a shared /tmp is theirs: left alone, whatever its pid file says.
 */
export function removeStaleRuns(root: string): string[] {
  const uid = process.getuid?.();
  const stale = readdirSync(root).filter((n) => n.startsWith(RUN_PREFIX)).filter((n) => {
    const dir = join(root, n);
    if (uid !== undefined && statSync(dir, { throwIfNoEntry: false })?.uid !== uid) return false;
    const owner = ownerOf(dir);
    return owner !== 0 && !alive(owner);
  });
  const removed = [];
  for (const name of stale) {
    try {
      rmSync(join(root, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Not ours to remove after all: the run goes on.
    }
  }
  return removed;
}

/** 0 while the run that made the directory has not written its pid yet (or it is not a run's). */
function ownerOf(dir: string): number {
  try {
    return Number(readFileSync(join(dir, OWNER), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
