// File records on both databases: the first uploader names a content, uses are recorded once, a hash
// may be named only by its uploader (or on an item they handed it in on), and a download needs a use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { DB_KINDS, testStore } from '../helpers/db.js';

const hash = (c: string) => c.repeat(64);
const A = { sha256: hash('a'), size: 10, name: 'a.pdf' };
const B = { sha256: hash('b'), size: 20, name: 'b.docx' };

describe.each(DB_KINDS)('file records on %s', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => ({ store, close } = await testStore(kind)));
  afterAll(async () => close?.());

  it('keeps the first uploader of a content', async () => {
    await store.files.uploaded(A, 'head-zheng');
    await store.files.uploaded({ ...A, name: 'copy.pdf' }, 'head-chen');
    expect(await store.files.get(A.sha256)).toMatchObject({ ...A, uploadedBy: 'head-zheng' });
    expect(await store.files.get(hash('0'))).toBeUndefined();
  });

  it('records uses once, and skips files it has no record of', async () => {
    await store.files.uploaded(B, 'head-xu');
    const use = { sha256: B.sha256, cycleId: 'c1', subject: 'summary-law', kind: 'submission' as const, usedBy: 'head-xu' };
    await store.files.used([use, { ...use, sha256: hash('f') }]);
    await store.files.used([use]);
    expect(await store.files.uses(B.sha256)).toEqual([use]);
    expect(await store.files.uses(hash('f'))).toEqual([]);
    await store.files.used([]);
  });

  it('lets only the uploader name a file, or who handed it in on the same item', async () => {
    expect(await store.files.mayName(A, 'head-zheng', 'c1', 'summary-planning')).toBe('allowed');
    expect(await store.files.mayName(A, 'head-xu', 'c1', 'summary-law')).toBe('not-theirs');
    expect(await store.files.mayName({ ...A, size: 11 }, 'head-zheng', 'c1', 'summary-planning')).toBe('unknown');
    expect(await store.files.mayName({ sha256: hash('9'), size: 1 }, 'head-zheng', 'c1', 'x')).toBe('unknown');
    // head-xu has handed A in on c1/plan (its use recorded there): he may name it again there only.
    await store.files.used([{ sha256: A.sha256, cycleId: 'c1', subject: 'plan', kind: 'submission', usedBy: 'head-xu' }]);
    expect(await store.files.mayName(A, 'head-xu', 'c1', 'plan')).toBe('allowed');
    expect(await store.files.mayName(A, 'head-xu', 'c2', 'plan')).toBe('not-theirs');
    // The same bytes uploaded by a second person (a common template): both may name them.
    await store.files.uploaded({ ...A, name: 'template-copy.pdf' }, 'head-xu');
    expect(await store.files.mayName(A, 'head-xu', 'c2', 'plan')).toBe('allowed');
    expect((await store.files.get(A.sha256))?.uploadedBy).toBe('head-zheng');
  });

  it('serves a file only from an item it is used on, handed in by its uploader, or not recorded at all', async () => {
    // B is used on c1/summary-law (above).
    expect(await store.files.servable(B.sha256, 'c1', 'summary-law', ['head-xu'])).toBe(true);
    expect(await store.files.servable(B.sha256, 'c1', 'summary-planning', ['head-zheng'])).toBe(false);
    expect(await store.files.servable(B.sha256, 'c2', 'summary-law', ['head-zheng'])).toBe(false);
    // Handed in by its uploader, the use not recorded (yet).
    expect(await store.files.servable(B.sha256, 'c1', 'evidence-law', ['head-xu'])).toBe(true);
    // Stored before the database: as before, the item's own record decides.
    expect(await store.files.servable(hash('e'), 'c1', 'anything', ['anyone'])).toBe(true);
  });
});
