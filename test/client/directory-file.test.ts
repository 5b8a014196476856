// Directory files as an administrator writes them: the JSON document, a CSV or XLSX with one row per
// person (units and departments from the *_name columns). Every error names where: the JSON path, or
// the sheet's row and the header as written; nothing is returned unless all of it is valid.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeXlsx } from '../../activities/tables.js';
import { readDirectoryFile } from '../../client/directory-file.js';
import { directoryOfCycle } from '../../domain/directory.js';
import { exampleCycle, tempDir } from '../helpers/cycle.js';

const dir = tempDir('directory-file');
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const example = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;

describe('directory files', () => {
  it('reads the example as JSON and as CSV alike, matching the example cycle\'s people, unit and departments', async () => {
    const json = await readDirectoryFile(example('jinjiang-directory.json'));
    const csv = await readDirectoryFile(example('jinjiang-directory.csv'));
    expect(csv.data).toEqual(json.data);
    const cycle = exampleCycle('x');
    const expected = directoryOfCycle({ ...cycle, unit: { ...cycle.unit, id: 'jinjiang-zrzy' } });
    expect(json.data.units).toEqual(expected.units);
    expect(json.data.departments).toEqual(expected.departments);
    expect(json.data.people.map((p) => [p.id, p.email, p.unit, p.department])).toEqual(expected.people.map((p) => [p.id, p.email, p.unit, p.department]));
  });

  it('reads an XLSX with Chinese headers, numbers as phone numbers and 是 as coordinator', async () => {
    const path = join(dir, 'directory.xlsx');
    await writeXlsx(path, [
      { 编号: 'lin', 姓名: '林晓燕', 邮箱: 'lin@jinjiang.example', 电话: 13800000000, 单位编号: 'zrzy', 单位名称: '自然资源局', 科室编号: 'office', 科室名称: '办公室', 协调人: '是' },
      { 编号: 'wu', 姓名: '吴海峰', 邮箱: 'wu@jinjiang.example', 单位编号: 'zrzy', 科室编号: 'office' },
    ]);
    const { data } = await readDirectoryFile(path);
    expect(data).toEqual({
      units: [{ id: 'zrzy', name: '自然资源局', coordinator: 'lin' }],
      departments: [{ unit: 'zrzy', id: 'office', name: '办公室' }],
      people: [
        { id: 'lin', name: '林晓燕', email: 'lin@jinjiang.example', phone: '13800000000', unit: 'zrzy', department: 'office' },
        { id: 'wu', name: '吴海峰', email: 'wu@jinjiang.example', unit: 'zrzy', department: 'office' },
      ],
    });
  });

  it('names every bad row and column of a CSV, counting blank rows as the sheet does', async () => {
    const path = write('bad.csv', [
      'id,name,email,unit,unit_name,coordinator',
      'lin,林,lin@jinjiang.example,zrzy,自然资源局,yes',
      ',,,,,',
      'Bad Id,吴,wu@jinjiang.example,,,',
      'cai,蔡,not-an-address,zrzy,,',
      'hong,洪,hong@jinjiang.example,zrzy,另一个名字,是',
      'xu,许,,,,',
    ].join('\n'));
    const err = await readDirectoryFile(path).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const lines = (err as Error).message.split('\n');
    expect(lines[0]).toBe(`${path}: 组织目录有误 / invalid directory:`);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^第 4 行「id」\/ row 4, column "id": 只能用小写字母/),
      expect.stringMatching(/^第 5 行「email」\/ row 5, column "email": 邮箱格式错误/),
      expect.stringMatching(/^第 6 行「unit_name」\/ row 6, column "unit_name": 与第 2 行的单位名称「自然资源局」不同/),
      expect.stringMatching(/^第 6 行「coordinator」\/ row 6, column "coordinator": 第 2 行已是此单位的协调人/),
      expect.stringMatching(/^第 7 行「email」\/ row 7, column "email": 必填 \/ required/),
    ]);
  });

  it('names the missing column and a duplicate id by row', async () => {
    await expect(readDirectoryFile(write('no-email.csv', 'id,name\nlin,林\n'))).rejects.toThrow(/第 1 行「email」\/ row 1, column "email": 缺少此列/);
    await expect(readDirectoryFile(write('twice.csv', 'id,name,email\nlin,林,a@x.example\nlin,林,b@x.example\n')))
      .rejects.toThrow(/第 3 行「id」\/ row 3, column "id": 人员编号重复 \/ duplicate people "lin"/);
  });

  it('names the JSON path of a bad value in a JSON document', async () => {
    const path = write('bad.json', JSON.stringify({ units: [{ id: 'u', name: 'U' }], people: [{ id: 'a', name: 'A', email: 'a@x.example' }, { id: 'b', name: 'B', email: 'nope' }] }));
    await expect(readDirectoryFile(path)).rejects.toThrow(/people\.1\.email: 邮箱格式错误/);
    await expect(readDirectoryFile(write('broken.json', '{'))).rejects.toThrow(/malformed JSON/);
    await expect(readDirectoryFile(join(dir, 'missing.csv'))).rejects.toThrow(/cannot read/);
  });
});
