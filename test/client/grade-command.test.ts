import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerGradeCommand } from '../../client/cli/grade-command.js';

const dir = mkdtempSync(join(tmpdir(), 'perfcycle-grade-'));
const file = (name: string, content: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

async function run(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerGradeCommand(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'perfcycle', 'grade', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

const units = [
  { unit: '市自然资源局', score: 91.2, vetoes: [] },
  { unit: '市住建局', score: 86, vetoes: ['public-criticism'] },
  { unit: '市交通局', score: 83.5, vetoes: [] },
  { unit: '市水利局', score: 72, vetoes: [] },
  { unit: '市城管局', score: 95, vetoes: ['evaluation-fraud'] },
  { unit: '市商务局', score: 68, vetoes: [] },
];

describe('perfcycle grade', () => {
  it('prints one JSON array with --json', async () => {
    const out = await run('--input', file('units.json', units), '--json');
    const rows = JSON.parse(out) as { unit: string; score: number; rank: number; grade: string; reason: string }[];
    // 6 units: 1 excellent place (1.8 floored), 3 good places
    expect(rows.map((r) => [r.unit, r.rank, r.grade])).toEqual([
      ['市城管局', 1, 'poor'],
      ['市自然资源局', 2, 'excellent'],
      ['市住建局', 3, 'good'],
      ['市交通局', 4, 'good'],
      ['市水利局', 5, 'fair'],
      ['市商务局', 6, 'poor'],
    ]);
    expect(Object.keys(rows[0]!)).toEqual(['unit', 'score', 'rank', 'grade', 'reason']);
    expect(rows[0]!.reason).toContain(' / ');
  });

  it('prints a zh-CN table without --json', async () => {
    const out = await run('--input', file('units.json', units));
    expect(out.split('\n')[0]).toMatch(/^排名\s+单位\s+得分\s+等次\s+理由$/);
    expect(out).toMatch(/2\s+市自然资源局\s+91\.2\s+优秀/);
    expect(out).toContain('共 6 个参评单位：优秀 1，良好 2，一般 1，差 2');
  });

  it('applies a rules file', async () => {
    const rules = file('rules.json', { quotaRounding: 'ceil', thresholds: { excellent: 83 } });
    const rows = JSON.parse(await run('--input', file('units.json', units), '--rules', rules, '--json')) as { grade: string }[];
    expect(rows.map((r) => r.grade)).toEqual(['poor', 'excellent', 'good', 'excellent', 'fair', 'poor']);
  });

  it('reports bad input with the index and field', async () => {
    await expect(run('--input', file('bad.json', '[{"unit":"a","score":1,'), '--json')).rejects.toThrow(/bad\.json is not valid JSON/);
    const bad = [{ unit: 'a', score: 90, vetoes: [] }, { unit: 'b', score: '80', vetoes: [] }];
    await expect(run('--input', file('bad2.json', bad), '--json')).rejects.toThrow(/\[1\]\.score: expected number/);
    await expect(run('--input', file('bad3.json', [{ unit: 'a', score: 90, vetoes: ['oops'] }]))).rejects.toThrow(/unknown veto "oops" for unit "a"/);
    await expect(run('--input', join(dir, 'missing.json'))).rejects.toThrow(/cannot read input file/);
    await expect(run('--input', file('u.json', units), '--rules', file('r.json', { tieRule: 'x' }))).rejects.toThrow(/tieRule/);
  });

  it('grades an empty list', async () => {
    expect(JSON.parse(await run('--input', file('empty.json', []), '--json'))).toEqual([]);
  });
});
