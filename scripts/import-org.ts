/**
 * Imports the real organisation — units, officials and their roles — from
 * what the office exports: CSV (UTF-8 or GBK), .xlsx or JSON, read by
 * scripts/tabular.ts. The file is the truth about who works where:
 *
 * - units and officials are created or updated by their stable code (id);
 * - officials missing from the file have left: they are deactivated (tokens
 *   stop working, no notice reaches them), never deleted — history names them;
 * - a bad row is reported with its line and changes nothing; the good rows are
 *   imported all together in one transaction, so a crash leaves no half import;
 * - re-running the same file changes nothing.
 *
 *   npm run import:org -- organisation.xlsx [more files or directories] [--dry-run] [--allow-mass-deactivation]
 *
 * Tables are recognised by their columns, whatever the sheet or file is called:
 * a table with an e-mail column lists officials, one with a kind column lists units.
 *   units:     id 单位编码, name 单位名称, kind 单位类型 (REFORM_OFFICE/改革办, LEADERSHIP/领导小组,
 *              SPECIAL_GROUP/专项小组, DISTRICT/区县, DEPARTMENT/市直部门, TOWNSHIP/镇办), parentId 上级单位编码
 *   officials: id 人员编码, name 姓名, email 邮箱, unitId 单位编码, roles 角色 (ADMIN/管理员, DIRECTOR/主任,
 *              DEPUTY_DIRECTOR/专职副主任, HEAD/主要负责人, LEADER_IN_CHARGE/分管领导, LIAISON/联络员,
 *              DRAFTER/起草人, INSPECTOR/督查组成员, CITY_LEADER/市领导; several separated by ";" or "、"), title 职务
 * JSON: { "units": [...], "officials": [...] } with the English field names.
 * Exit code: 0 imported; 2 imported except the rejected rows; 3 imported, but duban cannot work with
 * the result (a unit it addresses by code is missing, or no administrator); 1 could not run (nothing changed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { scriptConfig } from './localEnv';
import { createDb, type Db } from '../common/db';
import { LEADERSHIP_ID, PROPAGANDA_ID, REFORM_OFFICE_ID, ROLE_LABELS, UNIT_KIND_LABELS } from '../common/org';
import type { Role, UnitKind } from '../generated/prisma/client';
import { labelCell, listCell, readTables, where, type FieldAliases, type Table } from './tabular';

export const UNIT_COLUMNS: FieldAliases = {
  id: ['单位编码', '单位代码', '编码'],
  name: ['单位名称', '名称'],
  kind: ['单位类型', '类型', '类别'],
  parentId: ['上级单位编码', '上级单位', '上级编码'],
};

export const OFFICIAL_COLUMNS: FieldAliases = {
  id: ['人员编码', '人员代码', '工号', '编码'],
  name: ['姓名'],
  email: ['电子邮箱', '邮箱', '电子邮件', 'e-mail'],
  unitId: ['单位编码', '所在单位编码', '所在单位', '单位'],
  roles: ['角色'],
  title: ['职务'],
};

/** More than this share of the active officials leaving at once looks like a partial file. */
const MASS_DEACTIVATION_SHARE = 0.5;

/** A label (enum name in any case, or a Chinese name) → its enum value. */
function labelMap<T extends string>(labels: Record<T, readonly string[]>): Map<string, T> {
  const m = new Map<string, T>();
  for (const [value, names] of Object.entries(labels) as Array<[T, readonly string[]]>) {
    m.set(value.toLowerCase(), value);
    for (const n of names) m.set(n, value);
  }
  return m;
}
const ROLES = labelMap<Role>(ROLE_LABELS);
const KINDS = labelMap<UnitKind>(UNIT_KIND_LABELS);

const lookup =
  <T extends string>(map: Map<string, T>, what: string) =>
  (v: string, ctx: z.RefinementCtx): T => {
    const found = map.get(v.trim()) ?? map.get(v.trim().toLowerCase());
    if (!found) ctx.addIssue({ code: 'custom', message: `未知${what}“${v}”` });
    return found ?? (v as T);
  };

// Stable codes: letters, digits, ".", "-", "_" (e.g. "district-zhangdian", "370300-001").
const Code = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, '编码只能由字母、数字、“.”、“-”、“_”组成，最长 100 个字符');

const UnitRow = z
  .object({
    id: Code,
    name: z.string().trim().min(1).max(100),
    kind: z.string().transform(lookup(KINDS, '单位类型')),
    parentId: Code.optional(),
  })
  .strict();
type UnitRow = z.infer<typeof UnitRow>;

const OfficialRow = z
  .object({
    id: Code,
    name: z.string().trim().min(1).max(50),
    email: z.string().trim().toLowerCase().pipe(z.email('邮箱格式不正确').max(200)),
    unitId: Code,
    roles: z.preprocess(listCell, z.array(z.string().transform(lookup(ROLES, '角色'))).max(20)).default([]),
    title: z.string().trim().max(100).optional(),
  })
  .strict();
type OfficialRow = z.infer<typeof OfficialRow>;

export interface SourceRow {
  /** "organisation.xlsx 人员 row 7" */
  where: string;
  values: Record<string, unknown>;
}

export interface OrgTables {
  units: SourceRow[];
  officials: SourceRow[];
  /** Tables skipped and columns ignored. */
  warnings: string[];
}

export interface Rejection {
  where: string;
  id?: string;
  reason: string;
  issues?: unknown;
}

export interface Tally {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

export interface OrgImportReport {
  units: Tally;
  officials: Tally & { reactivated: number; deactivated: string[] };
  rejected: Rejection[];
  /** Things that keep duban from working (missing well-known units, no administrator). */
  problems: string[];
  dryRun: boolean;
}

/** Reads the unit and official tables of files (directories: every .csv, .xlsx and .json in them). */
export async function readOrgFiles(inputs: Array<string | { file: string; content: Buffer }>): Promise<OrgTables> {
  const files = inputs.flatMap((i): Array<{ file: string; content?: Buffer }> => {
    if (typeof i !== 'string') return [i];
    if (!fs.statSync(i).isDirectory()) return [{ file: i }];
    return fs
      .readdirSync(i)
      .filter((n) => /\.(csv|xlsx|json)$/i.test(n))
      .sort()
      .map((n) => ({ file: path.join(i, n) }));
  });
  const out: OrgTables = { units: [], officials: [], warnings: [] };
  const take = (t: Table, into: SourceRow[]) => {
    if (t.ignoredColumns.length) out.warnings.push(`${t.source}: columns ignored: ${t.ignoredColumns.join(', ')}`);
    into.push(...t.rows.map((r) => ({ where: where(t, r.line), values: r.values })));
  };
  for (const { file, content } of files) {
    const asOfficials = await readTables(file, OFFICIAL_COLUMNS, content);
    const asUnits = await readTables(file, UNIT_COLUMNS, content);
    asOfficials.forEach((t, i) => {
      if (t.fields.includes('email')) take(t, out.officials);
      else if (asUnits[i].fields.includes('kind')) take(asUnits[i], out.units);
      else if (t.rows.length || asUnits[i].rows.length) out.warnings.push(`${t.source}: neither an officials table (邮箱/email column) nor a units table (单位类型/kind column), skipped`);
    });
  }
  return out;
}

/** JSON numbers (codes written as numbers) are read as text. */
const asText = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));

const issues = (e: z.ZodError) => e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

class DryRun extends Error {}

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Validates every row, then writes the good ones in one transaction (all of
 * them or, on any failure, none). `dryRun` reports what would change and rolls back.
 */
export async function importOrganisation(db: Db, tables: OrgTables, opts: { dryRun?: boolean; allowMassDeactivation?: boolean } = {}): Promise<OrgImportReport> {
  const position = new Map([...tables.units, ...tables.officials].map((row, i) => [row, i]));
  const found: Array<{ at: number; rejection: Rejection }> = [];
  const reject = (row: SourceRow, reason: string, extra: { id?: string; issues?: unknown } = {}) =>
    found.push({ at: position.get(row) ?? 0, rejection: { where: row.where, reason, ...extra } });

  // --- units: valid, unique, parents that exist, no cycles
  const units = new Map<string, { row: SourceRow; unit: UnitRow }>();
  for (const row of tables.units) {
    const parsed = UnitRow.safeParse(asText(row.values));
    if (!parsed.success) reject(row, '字段不合法', { id: labelCell(row.values.id), issues: issues(parsed.error) });
    else if (units.has(parsed.data.id)) reject(row, `单位编码重复（已见于 ${units.get(parsed.data.id)!.row.where}）`, { id: parsed.data.id });
    else if (parsed.data.parentId === parsed.data.id) reject(row, '上级单位不能是本单位', { id: parsed.data.id });
    else units.set(parsed.data.id, { row, unit: parsed.data });
  }
  const dbUnits = new Map((await db.unit.findMany()).map((u) => [u.id, u]));
  const parentOf = (id: string): string | null | undefined => (units.has(id) ? units.get(id)!.unit.parentId ?? null : dbUnits.get(id)?.parentId);
  // A unit whose parent is unknown, rejected, or part of a loop cannot be placed: reject until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, { row, unit }] of units) {
      let reason: string | undefined;
      if (unit.parentId && !units.has(unit.parentId) && !dbUnits.has(unit.parentId)) reason = `上级单位 ${unit.parentId} 不存在（或其所在行未能导入）`;
      else {
        const seen = new Set([id]);
        for (let p = parentOf(id); p; p = parentOf(p)) {
          if (seen.has(p)) {
            reason = `上级单位关系形成循环（${[...seen, p].join(' → ')}）`;
            break;
          }
          seen.add(p);
        }
      }
      if (reason) {
        reject(row, reason, { id });
        units.delete(id);
        changed = true;
      }
    }
  }
  const unitExists = (id: string) => units.has(id) || dbUnits.has(id);

  // --- officials: valid, unique id and e-mail, an existing unit, an e-mail nobody else keeps
  const dbOfficials = new Map((await db.official.findMany()).map((o) => [o.id, o]));
  const listedIds = new Set<string>(); // every id named by a row, accepted or not: a rejected row is no departure
  const officials = new Map<string, { row: SourceRow; official: OfficialRow }>();
  const byEmail = new Map<string, string>();
  for (const row of tables.officials) {
    const values = asText(row.values);
    if (typeof values.id === 'string' && values.id.trim()) listedIds.add(values.id.trim());
    const parsed = OfficialRow.safeParse(values);
    if (!parsed.success) {
      reject(row, '字段不合法', { id: labelCell(values.id), issues: issues(parsed.error) });
      continue;
    }
    const o = parsed.data;
    if (officials.has(o.id)) reject(row, `人员编码重复（已见于 ${officials.get(o.id)!.row.where}）`, { id: o.id });
    else if (byEmail.has(o.email)) reject(row, `邮箱 ${o.email} 与 ${officials.get(byEmail.get(o.email)!)!.row.where} 重复`, { id: o.id });
    else if (!unitExists(o.unitId)) reject(row, `所在单位 ${o.unitId} 不存在（或其所在行未能导入）`, { id: o.id });
    else {
      officials.set(o.id, { row, official: o });
      byEmail.set(o.email, o.id);
    }
  }
  // An e-mail still held by someone the file does not update (a departed official keeps theirs: notices
  // name it). Rejecting a row keeps that official's own e-mail in place, which may block another: repeat.
  for (let changed = true; changed; ) {
    changed = false;
    for (const holder of dbOfficials.values()) {
      const claimant = byEmail.get(holder.email.toLowerCase());
      if (claimant && claimant !== holder.id && officials.has(claimant) && !officials.has(holder.id)) {
        const { row } = officials.get(claimant)!;
        reject(row, `邮箱 ${holder.email} 仍属于人员 ${holder.id}（${holder.name}${holder.active ? '' : '，已停用'}），请使用本人邮箱`, { id: claimant });
        officials.delete(claimant);
        changed = true;
      }
    }
  }

  // --- who left: only when the file lists officials at all
  const leaving = tables.officials.length ? [...dbOfficials.values()].filter((o) => o.active && !listedIds.has(o.id)).map((o) => o.id) : [];
  const active = [...dbOfficials.values()].filter((o) => o.active).length;
  if (!opts.allowMassDeactivation && leaving.length > 5 && leaving.length > active * MASS_DEACTIVATION_SHARE) {
    throw new Error(
      `the file would deactivate ${leaving.length} of ${active} active officials — is it the whole organisation? ` +
        'Nothing was changed. Re-run with --allow-mass-deactivation if they really all left.',
    );
  }

  // In file order, whichever check found them.
  const rejected = found.sort((a, b) => a.at - b.at).map((f) => f.rejection);
  const report: OrgImportReport = {
    units: { rows: tables.units.length, created: 0, updated: 0, unchanged: 0 },
    officials: { rows: tables.officials.length, created: 0, updated: 0, unchanged: 0, reactivated: 0, deactivated: leaving },
    rejected,
    problems: [],
    dryRun: !!opts.dryRun,
  };

  // Parents before children.
  const depth = (id: string): number => {
    let d = 0;
    for (let p = parentOf(id); p; p = parentOf(p)) d++;
    return d;
  };
  const unitOrder = [...units.values()].sort((a, b) => depth(a.unit.id) - depth(b.unit.id));

  try {
    await db.$transaction(
      async (tx) => {
        for (const { unit } of unitOrder) {
          const before = dbUnits.get(unit.id);
          const data = { name: unit.name, kind: unit.kind, parentId: unit.parentId ?? null };
          if (!before) {
            await tx.unit.create({ data: { id: unit.id, ...data } });
            report.units.created++;
          } else if (before.name !== data.name || before.kind !== data.kind || before.parentId !== data.parentId) {
            await tx.unit.update({ where: { id: unit.id }, data });
            report.units.updated++;
          } else report.units.unchanged++;
        }
        // E-mails may move between officials of the file (a swap): park the changing ones first.
        for (const { official } of officials.values()) {
          const before = dbOfficials.get(official.id);
          if (before && before.email !== official.email) {
            await tx.official.update({ where: { id: official.id }, data: { email: `moving.${official.id}@duban.invalid` } });
          }
        }
        for (const { official } of officials.values()) {
          const before = dbOfficials.get(official.id);
          const data = { name: official.name, email: official.email, unitId: official.unitId, roles: official.roles, title: official.title ?? null, active: true };
          if (!before) {
            await tx.official.create({ data: { id: official.id, ...data } });
            report.officials.created++;
          } else if (
            before.name !== data.name ||
            before.email !== data.email ||
            before.unitId !== data.unitId ||
            !sameRoles(before.roles, data.roles) ||
            before.title !== data.title ||
            !before.active
          ) {
            await tx.official.update({ where: { id: official.id }, data });
            report.officials.updated++;
            if (!before.active) report.officials.reactivated++;
          } else report.officials.unchanged++;
        }
        if (leaving.length) await tx.official.updateMany({ where: { id: { in: leaving } }, data: { active: false } });

        // duban's rules address these units by id (common/org.ts), and someone must administer it.
        for (const id of [REFORM_OFFICE_ID, LEADERSHIP_ID, PROPAGANDA_ID]) {
          if (!(await tx.unit.findUnique({ where: { id } }))) report.problems.push(`unit "${id}" is missing: duban's rules address it by this code`);
        }
        const admins = await tx.official.count({ where: { active: true, unitId: REFORM_OFFICE_ID, roles: { has: 'ADMIN' } } });
        if (admins === 0) report.problems.push(`no active official of "${REFORM_OFFICE_ID}" has the ADMIN role: nobody can administer duban`);

        await tx.auditLog.create({
          data: {
            method: 'CLI',
            path: 'import:org',
            action: opts.dryRun ? 'import:org --dry-run' : 'import:org',
            status: exitCode(report),
            detail: JSON.parse(JSON.stringify({ units: report.units, officials: report.officials, rejected: rejected.length, problems: report.problems })),
          },
        });
        if (opts.dryRun) throw new DryRun();
      },
      // One transaction for the whole organisation (thousands of rows at most).
      { timeout: 10 * 60_000, maxWait: 60_000 },
    );
  } catch (err) {
    if (!(err instanceof DryRun)) throw err;
  }
  return report;
}

/** See the header: 0, 2 (rows rejected) or 3 (duban cannot work with the result). */
export function exitCode(r: Pick<OrgImportReport, 'rejected' | 'problems'>): number {
  return r.problems.length ? 3 : r.rejected.length ? 2 : 0;
}

function printReport(r: OrgImportReport, warnings: string[]): void {
  for (const w of warnings) console.error(`warning: ${w}`);
  const t = (x: Tally) => `${x.rows} rows: ${x.created} new, ${x.updated} changed, ${x.unchanged} unchanged`;
  console.log(`${r.dryRun ? '[dry run, nothing written] ' : ''}units ${t(r.units)}`);
  console.log(`officials ${t(r.officials)}, ${r.officials.reactivated} reactivated, ${r.officials.deactivated.length} deactivated (left)`);
  if (r.officials.deactivated.length) console.log(`  deactivated: ${r.officials.deactivated.join(', ')}`);
  console.log(`${r.rejected.length} rows rejected`);
  for (const x of r.rejected) console.log(`  ${x.where}${x.id ? ` ${x.id}` : ''}: ${x.reason}${x.issues ? ` ${JSON.stringify(x.issues)}` : ''}`);
  for (const p of r.problems) console.log(`problem: ${p}`);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    console.error('usage: npm run import:org -- <organisation.xlsx|units.csv officials.csv|org.json|directory>… [--dry-run] [--allow-mass-deactivation]');
    return 1;
  }
  const config = scriptConfig();
  const tables = await readOrgFiles(files);
  if (tables.units.length + tables.officials.length === 0) {
    for (const w of tables.warnings) console.error(`warning: ${w}`);
    console.error('no unit or official rows found');
    return 1;
  }
  const db = createDb(config.DATABASE_URL, 2);
  try {
    const report = await importOrganisation(db, tables, { dryRun: args.includes('--dry-run'), allowMassDeactivation: args.includes('--allow-mass-deactivation') });
    printReport(report, tables.warnings);
    return exitCode(report);
  } finally {
    await db.$disconnect();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
