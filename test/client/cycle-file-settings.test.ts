// The cycle file's review team, scoring scheme, tracking and bonus settings: optional, defaulted, errors name the field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveCycleData } from '../../client/cycle-file-loader.js';
import { settingsOf } from '../../domain/cycle.js';
import { DEFAULT_SCHEME } from '../../domain/scoring.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
// The example without the settings under test (the shipped example has them all).
const raw = (): Raw => {
  const r = JSON.parse(readFileSync(new URL('../../examples/jinjiang-2019.json', import.meta.url), 'utf8')) as Raw;
  delete r.bonus;
  delete r.tracking;
  delete r.roles.reviewTeam;
  return r;
};
const errorOf = (r: Raw) => { try { resolveCycleData(r, 'f.json'); } catch (e) { return (e as Error).message; } throw new Error('expected a refusal'); };

describe('cycle file settings for targets, scores and bonus', () => {
  it('a file without them resolves to the defaults: 65 + 35, 70/30, progress on the 25th, no review team, no bonus', () => {
    const c = resolveCycleData(raw());
    expect(c.scoring).toEqual(DEFAULT_SCHEME);
    expect(c.tracking).toEqual({ progressDay: 25, everyMonths: 1 });
    expect(c.bonus).toBeUndefined();
    expect(settingsOf(c).reviewTeam).toEqual([]);
    // a cycle input from before these settings (a recorded history) reads the same
    const old = { ...c };
    delete old.scoring;
    delete old.tracking;
    expect(settingsOf(old)).toEqual(settingsOf(c));
  });

  it('takes a review team, a partial scheme, a tracking day and bonus figures', () => {
    const r = raw();
    r.people.push({ id: 'reviewer-guo', name: '郭', email: 'guo@example.org' });
    r.roles.reviewTeam = ['reviewer-guo'];
    r.scoring = { targetWeight: 0.6, publicReviewWeight: 0.4 };
    r.tracking = { progressDay: 20, everyMonths: 3 };
    r.bonus = { baseAmount: 10000, coefficients: { excellent: 1.2, good: 1.1, fair: 1 } };
    const s = settingsOf(resolveCycleData(r));
    expect(s.reviewTeam).toEqual(['reviewer-guo']);
    expect(s.scheme).toMatchObject({ targetWeight: 0.6, publicReviewWeight: 0.4, functionalPoints: 65 });
    expect(s.tracking).toEqual({ progressDay: 20, everyMonths: 3 });
    expect(s.bonus?.coefficients.good).toBe(1.1);
  });

  it.each([
    ['roles.reviewTeam.1', (r: Raw) => { r.roles.reviewTeam = ['office-lin', 'nobody']; }],
    ['scoring.publicReviewWeight', (r: Raw) => { r.scoring = { targetWeight: 0.8 }; }],
    ['tracking.progressDay', (r: Raw) => { r.tracking = { progressDay: 31 }; }],
    ['bonus.coefficients.fair', (r: Raw) => { r.bonus = { baseAmount: 1, coefficients: { excellent: 1, good: 1 } }; }],
    ['bonus.baseAmount', (r: Raw) => { r.bonus = { baseAmount: -1, coefficients: { excellent: 1, good: 1, fair: 1 } }; }],
  ])('names %s', (path, edit) => {
    const r = raw();
    edit(r);
    expect(errorOf(r)).toContain(`${path}:`);
  });
});
