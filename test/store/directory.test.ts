// The organisation directory on both databases: imports upsert by id in one transaction, every change
// of a person is a line in the audit chain `directory` (which still verifies), a bad row changes nothing,
// and a cycle id is registered once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLegacyFiles } from '../../client/legacy-import.js';
import { directoryOfCycle, DirectoryError, type DirectoryData } from '../../domain/directory.js';
import { CycleConflict } from '../../store/cycles.js';
import { DirectoryNotFound } from '../../store/directory.js';
import type { Store } from '../../store/index.js';
import { exampleCycle, tempDir } from '../helpers/cycle.js';
import { DB_KINDS, testStore } from '../helpers/db.js';

const OP = 'operator:test';
const example = directoryOfCycle(exampleCycle('dir'));
const UNIT = example.units[0]!.id;
const chain = (store: Store) => store.audit.list('directory');

describe.each(DB_KINDS)('directory store on %s', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => ({ store, close } = await testStore(kind)), 60_000);
  afterAll(async () => close?.());

  it('imports units, departments and people, with the unit\'s coordinator, and audits each new person', async () => {
    const result = await store.directory.importDirectory(example, OP);
    expect(result.added).toHaveLength(example.people.length);
    expect(result.changed).toEqual([]);
    expect(await store.directory.units()).toEqual([{ id: UNIT, name: '晋江市自然资源局', coordinator: 'office-lin' }]);
    expect(await store.directory.coordinatorOf(UNIT)).toBe('office-lin');
    expect((await store.directory.departments()).map((d) => d.id)).toContain('enforcement');
    expect(await store.directory.person('head-xu')).toMatchObject({ unit: UNIT, department: 'law', admin: false, lang: 'zh-CN' });
    expect(await store.directory.person('hr-reviewer')).not.toHaveProperty('unit');
    const lines = await chain(store);
    expect(lines.filter((e) => e.action === 'person-added')).toHaveLength(example.people.length);
    expect(lines.at(-1)).toMatchObject({ actor: OP, role: 'operator', action: 'directory-imported' });
    expect(lines.find((e) => e.action === 'coordinator-set')).toMatchObject({ subject: UNIT, detail: '- → office-lin' });
  });

  it('re-imports the same file without a change; an e-mail changed by import is audited old → new', async () => {
    const before = (await chain(store)).length;
    expect(await store.directory.importDirectory(example, OP)).toEqual({ added: [], changed: [] });
    expect((await chain(store)).length).toBe(before + 1); // the import itself
    const moved: DirectoryData = { units: [], departments: [], people: [{ ...example.people.find((p) => p.id === 'director-zhang')!, email: 'zhang.jianguo@jinjiang.example', phone: '0595-1234567' }] };
    expect(await store.directory.importDirectory(moved, 'admin-a')).toEqual({ added: [], changed: ['director-zhang'] });
    const line = (await chain(store)).find((e) => e.action === 'person-changed' && e.subject === 'director-zhang');
    expect(line).toMatchObject({ actor: 'admin-a', role: 'admin', detail: 'email: director-zhang@jinjiang.example → zhang.jianguo@jinjiang.example; phone: - → 0595-1234567' });
    expect((await store.audit.verify('directory')).ok).toBe(true);
  });

  it('changes one person only through updatePerson, audited; bad values name the field and change nothing', async () => {
    expect(await store.directory.updatePerson('head-cai', { email: 'cai.ming@jinjiang.example' }, OP)).toMatchObject({ email: 'cai.ming@jinjiang.example', department: 'landuse' });
    expect((await chain(store)).at(-1)).toMatchObject({ action: 'person-changed', subject: 'head-cai', detail: 'email: head-cai@jinjiang.example → cai.ming@jinjiang.example' });
    await expect(store.directory.updatePerson('head-cai', { email: 'not-an-address' }, OP)).rejects.toThrow(/email: 邮箱格式错误/);
    await expect(store.directory.updatePerson('head-cai', { department: 'nowhere' }, OP)).rejects.toThrow(/department: 单位 .* 没有科室 "nowhere"/);
    await expect(store.directory.updatePerson('nobody', { name: 'x' }, OP)).rejects.toBeInstanceOf(DirectoryNotFound);
    expect((await store.directory.person('head-cai'))?.email).toBe('cai.ming@jinjiang.example');
  });

  it('grants and revokes the administrator, audited; a coordinator must be a person of the directory', async () => {
    expect(await store.directory.isAdmin('head-wu')).toBe(false);
    await store.directory.grantAdmin('head-wu', OP);
    expect(await store.directory.isAdmin('head-wu')).toBe(true);
    await store.directory.revokeAdmin('head-wu', OP);
    expect(await store.directory.isAdmin('head-wu')).toBe(false);
    expect((await chain(store)).slice(-2).map((e) => `${e.action} ${e.subject}`)).toEqual(['admin-granted head-wu', 'admin-revoked head-wu']);
    await expect(store.directory.setCoordinator(UNIT, 'nobody', OP)).rejects.toThrow(/not in the organisation directory/);
    await store.directory.setCoordinator(UNIT, 'head-huang', OP);
    expect(await store.directory.coordinatorOf(UNIT)).toBe('head-huang');
    await store.directory.setCoordinator(UNIT, 'office-lin', OP);
  });

  it('refuses a whole import for one bad row, naming it; nothing of it is saved', async () => {
    const before = (await chain(store)).length;
    const bad: DirectoryData = {
      units: [{ id: 'new-unit', name: '新单位', coordinator: 'ghost' }],
      departments: [{ unit: 'no-such-unit', id: 'x', name: 'X' }],
      people: [
        { id: 'newcomer', name: '新人', email: 'newcomer@jinjiang.example' },
        { id: 'director-zhang', name: '张建国（局长）', email: 'attacker@evil.example', unit: UNIT, department: 'nowhere' },
      ],
    };
    const err = await store.directory.importDirectory(bad, OP).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectoryError);
    expect((err as DirectoryError).issues.map((i) => i.path)).toEqual(['departments.0.unit', 'people.1.department', 'units.0.coordinator']);
    expect(await store.directory.person('newcomer')).toBeUndefined();
    expect((await store.directory.person('director-zhang'))?.email).toBe('zhang.jianguo@jinjiang.example');
    expect((await store.directory.units()).map((u) => u.id)).toEqual([UNIT]);
    expect((await chain(store)).length).toBe(before);
    expect((await store.audit.verify('directory')).ok).toBe(true);
  });

  it('registers a cycle id once: the same input again while never started, another input is a conflict', async () => {
    const input = exampleCycle('dir');
    await store.cycles.save(input);
    await store.cycles.save(JSON.parse(JSON.stringify(input)));
    await expect(store.cycles.save({ ...input, people: input.people.map((p) => (p.id === 'director-zhang' ? { ...p, email: 'attacker@evil.example' } : p)) }))
      .rejects.toBeInstanceOf(CycleConflict);
    expect((await store.cycles.get(input.cycleId))?.people.find((p) => p.id === 'director-zhang')?.email).toBe('director-zhang@jinjiang.example');
    await store.cycles.saveFinalStatus(input, { phase: 'closed' }, new Date().toISOString());
    await expect(store.cycles.save(input)).rejects.toThrow(/cycleId: .* exists/);
  });

  it('puts the people of an earlier version\'s cycle files into the directory as the upgrade, then registers the cycle', async () => {
    const dataDir = tempDir(`legacy-dir-${kind}`);
    const input = exampleCycle('legacy');
    mkdirSync(join(dataDir, 'portal', 'cycles'), { recursive: true });
    writeFileSync(join(dataDir, 'portal', 'cycles', `${input.cycleId}.json`), JSON.stringify(input));
    expect(await importLegacyFiles(store, dataDir)).toEqual(['1 cycle directories']);
    expect(await store.cycles.get(input.cycleId)).toEqual(input);
    expect(await store.directory.coordinatorOf(input.unit.id)).toBe('office-lin');
    expect((await store.accounts.get('head-zheng'))?.cycles).toContain(input.cycleId);
    expect((await chain(store)).at(-1)).toMatchObject({ actor: 'operator:upgrade', action: 'directory-imported' });
    expect((await store.audit.verify('directory')).ok).toBe(true);
  });
});
