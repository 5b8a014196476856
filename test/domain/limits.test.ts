// The one table of size limits (issue 7, item 8): a huge value is refused naming its field, a value at
// the limit passes, a value of the wrong type is refused, and nothing huge is ever echoed.
import { describe, expect, it } from 'vitest';
import {
  LIMITS, approveLimits, clip, evidenceLimits, figureLimits, importTargetsLimits, markLimits, rejectLimits, submitLimits,
  tooLong, tooMany, vetoLimits,
} from '../../domain/limits.js';

const MB = 'x'.repeat(1_000_000);
const sha = 'a'.repeat(64);
const file = { name: '方案.pdf', sha256: sha, size: 3 };
const target = {
  id: 'T01', category: 'key', group: 'functional', title: '保障重点项目用地', points: 65, leader: 'leader-wang',
  departments: ['landuse'], leadDepartment: 'landuse', person: '陈志强', due: '2019-12-31', quality: '报批率100%', progress: '12月底前完成',
};
const at = (n: number, c = '字') => c.repeat(n);

/** The message names the field first, in both languages, and stays short. */
function refused(err: string | undefined, field: string, what = /过长.*too long/) {
  expect(err).toBeDefined();
  expect(err!.startsWith(`${field}: `)).toBe(true);
  expect(err).toMatch(what);
  expect(err!.length).toBeLessThan(200);
}

describe('clip', () => {
  it('keeps a short value and cuts a long one to n characters and an ellipsis', () => {
    expect(clip('office-lin')).toBe('office-lin');
    expect(clip('x'.repeat(40))).toBe('x'.repeat(40));
    expect(clip(MB)).toBe(`${'x'.repeat(40)}…`);
    expect(clip('绩效'.repeat(30), 5)).toBe('绩效绩效绩…');
    expect(clip(12345, 3)).toBe('123…');
  });

  it('counts an emoji as one character and never cuts it in half', () => {
    expect(clip('😀'.repeat(3), 3)).toBe('😀😀😀');
    expect(clip('😀'.repeat(5), 2)).toBe('😀😀…');
  });
});

describe('tooLong and tooMany', () => {
  it('pass an absent value, a value at the limit, and count code points like JSON Schema', () => {
    expect(tooLong('note', undefined, 3)).toBeUndefined();
    expect(tooLong('note', null, 3)).toBeUndefined();
    expect(tooLong('note', 'abc', 3)).toBeUndefined();
    expect(tooLong('note', '😀😀😀', 3)).toBeUndefined();
    expect(tooLong('note', 'abcd', 3)).toBe('note: 过长（最多 3 个字符）/ too long (at most 3 characters)');
  });

  it('refuse what is not a string or not a list', () => {
    refused(tooLong('note', 42, 3), 'note', /expected a string/);
    refused(tooLong('note', { a: MB }, 3), 'note', /expected a string/);
    refused(tooMany('files', 'a', 3), 'files', /expected a list/);
    refused(tooMany('files', [1, 2, 3, 4], 3), 'files', /过多.*too many \(at most 3 items\)/);
    refused(tooMany('vetoes', ['a', MB], 3, (f, v) => tooLong(f, v, 5)), 'vetoes.1');
  });
});

describe('the checks of each request', () => {
  it('pass ordinary requests and values exactly at each limit', () => {
    expect(submitLimits({ actor: 'office-lin', note: at(LIMITS.note), files: Array(LIMITS.filesPerSubmission).fill({ ...file, name: at(LIMITS.fileName) }) })).toBeUndefined();
    expect(approveLimits({ actor: at(LIMITS.personId, 'a'), comment: at(LIMITS.note) })).toBeUndefined();
    expect(rejectLimits({ actor: 'hr-reviewer', reason: at(LIMITS.reason), due: '2019-12-31' })).toBeUndefined();
    expect(markLimits({ actor: 'review-gov', targetId: at(LIMITS.id, 'T'), mark: 7.5, note: at(LIMITS.note), reason: at(LIMITS.reason) })).toBeUndefined();
    expect(figureLimits({ actor: 'efficiency-office', figure: 'publicReview', value: null, source: at(LIMITS.source), reason: at(LIMITS.reason) })).toBeUndefined();
    expect(vetoLimits({ actor: 'efficiency-office', vetoes: Array(LIMITS.vetoes).fill(at(LIMITS.id, 'v')), source: '市效能办' })).toBeUndefined();
    expect(evidenceLimits({ actor: 'head-cai', targetId: 'T01', category: 'paper', file, note: at(LIMITS.note) })).toBeUndefined();
    const full = { ...target, title: at(LIMITS.title), quality: at(LIMITS.requirement), progress: at(LIMITS.requirement) };
    expect(importTargetsLimits({ actor: 'office-lin', targets: Array(LIMITS.targets).fill(full), source: file })).toBeUndefined();
  });

  it('refuse a 1 MB value naming its field, and never echo it', () => {
    refused(submitLimits({ actor: 'office-lin', note: MB }), 'note');
    refused(submitLimits({ actor: MB }), 'actor');
    refused(submitLimits({ actor: 'office-lin', files: [file, { ...file, name: MB }] }), 'files.1.name');
    refused(approveLimits({ actor: 'hr-reviewer', comment: MB }), 'comment');
    refused(rejectLimits({ actor: 'hr-reviewer', reason: MB }), 'reason');
    refused(rejectLimits({ actor: 'hr-reviewer', reason: 'r', due: MB }), 'due');
    refused(markLimits({ actor: 'review-gov', targetId: MB, mark: 1 }), 'targetId');
    refused(markLimits({ actor: 'review-gov', targetId: 'T01', mark: 1, note: MB }), 'note');
    refused(figureLimits({ actor: 'efficiency-office', figure: MB, value: 1, source: 's' }), 'figure');
    refused(figureLimits({ actor: 'efficiency-office', figure: 'publicReview', value: 1, source: MB }), 'source');
    refused(vetoLimits({ actor: 'efficiency-office', vetoes: [MB], source: 's' }), 'vetoes.0');
    refused(evidenceLimits({ actor: 'head-cai', targetId: 'T01', category: 'paper', file: { ...file, sha256: MB } }), 'file.sha256');
    refused(importTargetsLimits({ actor: 'office-lin', targets: [target, { ...target, title: MB }] }), 'targets.1.title');
    refused(importTargetsLimits({ actor: 'office-lin', targets: [{ ...target, departments: ['a', MB] }] }), 'targets.0.departments.1');
    refused(importTargetsLimits({ actor: 'office-lin', targets: [target], source: { ...file, name: MB } }), 'source.name');
  });

  it('refuse one character over the limit', () => {
    refused(rejectLimits({ actor: 'hr-reviewer', reason: at(LIMITS.reason + 1) }), 'reason');
    refused(submitLimits({ actor: 'office-lin', files: Array(LIMITS.filesPerSubmission + 1).fill(file) }), 'files', /too many/);
    refused(vetoLimits({ actor: 'efficiency-office', vetoes: Array(LIMITS.vetoes + 1).fill('v'), source: 's' }), 'vetoes', /too many/);
    refused(importTargetsLimits({ actor: 'office-lin', targets: Array(LIMITS.targets + 1).fill(target) }), 'targets', /too many/);
  });

  it('refuse values of the wrong type, so no check downstream echoes them', () => {
    refused(submitLimits({ actor: 'office-lin', note: 7 }), 'note', /expected a string/);
    refused(submitLimits({ actor: 'office-lin', files: MB }), 'files', /expected a list/);
    refused(markLimits({ actor: 'review-gov', targetId: 'T01', mark: MB }), 'mark', /expected a number/);
    refused(figureLimits({ actor: 'efficiency-office', figure: 'publicReview', value: MB, source: 's' }), 'value', /expected a number or null/);
    refused(vetoLimits({ actor: 'efficiency-office', vetoes: [3], source: 's' }), 'vetoes.0', /expected a string/);
    refused(importTargetsLimits({ actor: 'office-lin', targets: [{ ...target, points: '65' }] }), 'targets.0.points', /expected a number/);
  });

  it('leave a missing value to the validator, whose message says it is required', () => {
    expect(rejectLimits({ actor: 'hr-reviewer' })).toBeUndefined();
    expect(markLimits({ actor: 'review-gov', targetId: 'T01' })).toBeUndefined();
    expect(figureLimits({ actor: 'efficiency-office', figure: 'publicReview' })).toBeUndefined();
  });

  it('refuse a request whose fields pass but which carries a huge field no check names', () => {
    refused(approveLimits({ actor: 'hr-reviewer', extra: MB }), 'request', /过大.*too large/);
    refused(submitLimits({ actor: 'office-lin', files: [{ ...file, junk: MB }] }), 'request', /too large/);
    refused(importTargetsLimits({ actor: 'office-lin', targets: [{ ...target, junk: at(LIMITS.importBytes) }] }), 'request', /too large/);
  });
});
