/**
 * The organisation import (scripts/import-org.ts) on files as offices export
 * them: a GBK-encoded CSV pair with a title line above the header, then a
 * year-later .xlsx roster (title rows, a hyperlink, a formula, rich text, an
 * extra column). Its own migrated, unseeded database: the import deactivates
 * whoever the file leaves out, which would disturb the seeded organisation
 * the other test files share.
 */
import path from 'node:path';
import { createDb, type Db } from '../../common/db';
import { exitCode, importOrganisation, readOrgFiles, type OrgImportReport } from '../../scripts/import-org';
import { decodeText } from '../../scripts/tabular';
import { isolatedDatabase, type IsolatedDatabase } from '../support/isolatedDatabase';
import fs from 'node:fs';

const fixture = (name: string) => path.join(__dirname, '../fixtures/import', name);
const lines = (r: OrgImportReport) => r.rejected.map((x) => x.where).sort();
const summary = (r: OrgImportReport) =>
  `units ${JSON.stringify(r.units)}, officials ${JSON.stringify({ ...r.officials, deactivated: r.officials.deactivated.length })}, ${r.rejected.length} rejected`;

describe('organisation import', () => {
  let database: IsolatedDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await isolatedDatabase('org', { migrated: true });
    db = createDb(database.url, 2);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  const snapshot = async () => ({
    units: await db.unit.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, kind: true, parentId: true } }),
    officials: await db.official.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, email: true, unitId: true, roles: true, title: true, active: true } }),
  });

  it('GBK CSV: imports the good rows, reports each bad one by its line, and a re-run changes nothing', async () => {
    expect(decodeText(fs.readFileSync(fixture('units-gbk.csv'))).encoding).toBe('gb18030');
    const tables = await readOrgFiles([fixture('units-gbk.csv'), fixture('officials-gbk.csv')]);
    const first = await importOrganisation(db, tables);
    process.stdout.write(`[import-org] GBK CSV: ${summary(first)}\n`);
    expect(first.units).toEqual({ rows: 11, created: 8, updated: 0, unchanged: 0 });
    expect(first.officials).toMatchObject({ rows: 15, created: 10, updated: 0, unchanged: 0, deactivated: [] });
    expect(lines(first)).toEqual([
      'units-gbk.csv line 10', // 东城区/西街道: not a code
      'units-gbk.csv line 11', // unknown kind
      'units-gbk.csv line 12', // unknown parent
      'officials-gbk.csv line 11', // not an e-mail
      'officials-gbk.csv line 13', // duplicate id
      'officials-gbk.csv line 14', // duplicate e-mail
      'officials-gbk.csv line 16', // unknown role
      'officials-gbk.csv line 12', // its unit was rejected
    ].sort());
    expect(first.rejected.find((x) => x.where === 'units-gbk.csv line 11')?.issues).toEqual([{ path: 'kind', message: '未知单位类型“外星部门”' }]);
    expect(first.rejected.find((x) => x.where === 'officials-gbk.csv line 16')?.issues).toEqual([{ path: 'roles.1', message: '未知角色“宇航员”' }]);
    expect(first.problems).toEqual([]);
    expect(exitCode(first)).toBe(2);
    // Nothing of a rejected row was written.
    expect(await db.official.findUnique({ where: { id: 'health-inspector' } })).toBeNull();
    expect(await db.unit.findUnique({ where: { id: 'dept-mars' } })).toBeNull();
    expect(await db.official.findUniqueOrThrow({ where: { id: 'ro-director' } })).toMatchObject({ name: '王建国', roles: ['ADMIN', 'DIRECTOR'], unitId: 'reform-office', active: true });
    expect(await db.unit.findUniqueOrThrow({ where: { id: 'district-a-t1' } })).toMatchObject({ kind: 'TOWNSHIP', parentId: 'district-a' });

    const before = await snapshot();
    const again = await importOrganisation(db, await readOrgFiles([fixture('units-gbk.csv'), fixture('officials-gbk.csv')]));
    expect(again.units).toEqual({ rows: 11, created: 0, updated: 0, unchanged: 8 });
    expect(again.officials).toMatchObject({ created: 0, updated: 0, unchanged: 10, deactivated: [] });
    expect(await snapshot()).toEqual(before);
  });

  it('.xlsx a year later: changes, swaps and newcomers applied, leavers deactivated (not deleted), bad rows reported by row', async () => {
    const tables = await readOrgFiles([fixture('organisation.xlsx')]);
    expect(tables.warnings).toEqual(['organisation.xlsx 人员: columns ignored: 备注']);
    const r = await importOrganisation(db, tables);
    process.stdout.write(`[import-org] .xlsx: ${summary(r)}, deactivated ${r.officials.deactivated.join(', ')}\n`);
    expect(r.units).toEqual({ rows: 13, created: 2, updated: 1, unchanged: 7 });
    expect(r.officials).toMatchObject({ rows: 11, created: 1, updated: 3, unchanged: 4, reactivated: 0 });
    expect(r.officials.deactivated.sort()).toEqual(['district-a-t1-head', 'propaganda-liaison']);
    expect(lines(r)).toEqual([
      'organisation.xlsx 人员 row 12', // e-mail still held by the departed propaganda-liaison
      'organisation.xlsx 人员 row 13', // unit loop-a rejected
      'organisation.xlsx 人员 row 8', // unknown role 观察员
      'organisation.xlsx 单位 row 13', // loop
      'organisation.xlsx 单位 row 14', // loop
      'organisation.xlsx 单位 row 15', // duplicate id
    ].sort());

    const leaver = await db.official.findUniqueOrThrow({ where: { id: 'propaganda-liaison' } });
    expect(leaver).toMatchObject({ active: false, email: 'liu.lihua@xcb.example.cn' });
    // A rejected row is not a departure: finance-liaison keeps everything, active.
    expect(await db.official.findUniqueOrThrow({ where: { id: 'finance-liaison' } })).toMatchObject({ active: true, title: '改革联络员', roles: ['LIAISON'] });
    // Two officials swapped e-mails in one import.
    expect((await db.official.findUniqueOrThrow({ where: { id: 'health-head' } })).email).toBe('yang.xiaoming@wjw.example.cn');
    expect((await db.official.findUniqueOrThrow({ where: { id: 'health-liaison' } })).email).toBe('chen.zhiqiang@wjw.example.cn');
    expect((await db.official.findUniqueOrThrow({ where: { id: 'city-secretary' } })).title).toBe('市委书记、市委深改组组长');
    expect(await db.unit.findUniqueOrThrow({ where: { id: 'district-a-t2' } })).toMatchObject({ name: '东城区西湖街道', parentId: 'district-a' });
    expect((await db.unit.findUniqueOrThrow({ where: { id: 'dept-health' } })).name).toBe('市卫生健康委员会');
    expect((await db.official.findUniqueOrThrow({ where: { id: 'district-a-director' } })).title).toBe('东城区委改革办主任');

    const before = await snapshot();
    const again = await importOrganisation(db, await readOrgFiles([fixture('organisation.xlsx')]));
    expect(again.units).toMatchObject({ created: 0, updated: 0 });
    expect(again.officials).toMatchObject({ created: 0, updated: 0, deactivated: [] });
    expect(await snapshot()).toEqual(before);
    const audit = await db.auditLog.findMany({ where: { action: 'import:org' } });
    expect(audit).toHaveLength(4);
  });

  it('a dry run reports and rolls back; a partial file that would deactivate most officials is refused', async () => {
    const before = await snapshot();
    // Back to last year's CSV: would reactivate the two leavers and undo the changes.
    const dry = await importOrganisation(db, await readOrgFiles([fixture('units-gbk.csv'), fixture('officials-gbk.csv')]), { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.officials.reactivated).toBe(2);
    expect(dry.officials.deactivated).toEqual(['bigdata-liaison']);
    expect(await snapshot()).toEqual(before);

    const partial = {
      file: 'one-department.csv',
      content: Buffer.from('人员编码,姓名,邮箱,单位编码,角色\nhealth-head,陈志强,yang.xiaoming@wjw.example.cn,dept-health,主要负责人\n'),
    };
    await expect(importOrganisation(db, await readOrgFiles([partial]))).rejects.toThrow(/would deactivate 8 of 9 active officials/);
    expect(await snapshot()).toEqual(before);
  });

  it('reports a file that leaves out the units duban addresses by code, or every administrator', async () => {
    const other = await isolatedDatabase('org2', { migrated: true });
    const db2 = createDb(other.url, 2);
    try {
      const content = Buffer.from(JSON.stringify({ units: [{ id: 'dept-a', name: '甲局', kind: 'DEPARTMENT' }], officials: [{ id: 'a1', name: '甲', email: 'a1@example.cn', unitId: 'dept-a', roles: ['LIAISON'] }] }));
      const r = await importOrganisation(db2, await readOrgFiles([{ file: 'org.json', content }]));
      expect(r.units.created).toBe(1);
      expect(r.problems).toHaveLength(4);
      expect(exitCode(r)).toBe(3);
      expect(r.problems.join('\n')).toMatch(/reform-office.*leading-group.*dept-propaganda.*ADMIN/s);
    } finally {
      await db2.$disconnect();
      await other.drop();
    }
  });
});
