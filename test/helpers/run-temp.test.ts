import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleRuns, RUN_PREFIX, runTempDir } from './run-temp.js';

describe('the test run\'s temp directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'perfcycle-run-temp-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('removes the directory of a run whose process is gone, keeps a live run\'s and any other, and makes its own', () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const dead = join(root, `${RUN_PREFIX}dead`);
    mkdirSync(join(dead, 'perfcycle-pg-x'), { recursive: true });
    writeFileSync(join(dead, 'owner.pid'), ended);
    const live = join(root, `${RUN_PREFIX}live`);
    mkdirSync(live);
    writeFileSync(join(live, 'owner.pid'), String(process.ppid));
    const starting = join(root, `${RUN_PREFIX}starting`); // no pid written yet
    mkdirSync(starting);
    const other = join(root, 'perfcycle-pg-other');
    mkdirSync(other);

    const mine = runTempDir(root);

    expect([existsSync(dead), existsSync(live), existsSync(starting), existsSync(other)]).toEqual([false, true, true, true]);
    expect(readFileSync(join(mine, 'owner.pid'), 'utf8')).toBe(String(process.pid));
    expect(statSync(mine).mode & 0o777).toBe(0o755);
  });

  it.runIf(process.getuid?.() === 0)('leaves another user\'s directory alone, even with a dead pid in it', () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const theirs = join(root, `${RUN_PREFIX}theirs`);
    mkdirSync(theirs);
    writeFileSync(join(theirs, 'owner.pid'), ended);
    chownSync(theirs, 65534, 65534);
    expect(removeStaleRuns(root)).toEqual([]);
    expect(existsSync(theirs)).toBe(true);
  });

  it('is where this run\'s temp dirs are made', () => {
    expect(tmpdir()).toMatch(new RegExp(`/${RUN_PREFIX}[^/]+$`));
  });
});
