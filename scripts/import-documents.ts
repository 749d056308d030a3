/**
 * Bulk import of superior documents from the document-exchange system's
 * export (CSV in UTF-8 or GBK, .xlsx, JSON; read by scripts/tabular.ts). Each
 * valid row arrives exactly like a webhook POST: registered once and its
 * workflow started once, so re-running an import is harmless. Bad rows are
 * reported with their line and what is wrong (in Chinese, by column); the good ones are imported anyway.
 *
 *   npm run import:documents -- export.xlsx [--concurrency 8]
 *
 * Columns (English field or Chinese title): level 级别 (CENTRAL/中央, PROVINCIAL/省),
 * title 标题, docNumber 文号, issuedAt 印发日期, receivedAt 收文日期, leadUnitId 牵头单位,
 * participantUnitIds 参与单位 (separated by ";", "、", "," or "|"), implementsDocNumber 贯彻文号.
 * Exit code: 0 all imported, 2 some rows rejected, 1 could not run.
 */
import { Client, Connection } from '@temporalio/client';
import { payloadDataConverter } from '../common/codec';
import { z } from 'zod';
import { registerDocument } from '../api/documentArrival';
import { ApiError } from '../api/errors';
import { DocumentArrival } from '../api/schemas/documents';
import { scriptConfig } from './localEnv';
import { createDb, type Db } from '../common/db';
import { dateCell, labelCell, listCell, progressLine, readTables, where, type FieldAliases } from './tabular';

export const DOCUMENT_COLUMNS: FieldAliases = {
  level: ['级别', '文件级别'],
  title: ['标题', '文件标题', '文件名称'],
  docNumber: ['文号', '发文字号', '文件编号'],
  issuedAt: ['印发日期', '成文日期', '发文日期'],
  receivedAt: ['收文日期', '接收日期'],
  leadUnitId: ['牵头单位', '牵头单位编码'],
  participantUnitIds: ['参与单位', '配合单位', '参与单位编码'],
  implementsDocNumber: ['贯彻文号', '对应中央文件文号'],
};

const ZH = z.locales.zhCN();

/** "「印发日期」" for an issue at issuedAt: the column header officials know (first alias). */
function columnLabel(path: PropertyKey[]): string {
  const field = path[0];
  if (typeof field !== 'string') return '';
  return `「${DOCUMENT_COLUMNS[field]?.[0] ?? field}」`;
}

/** One issue as a clerk reads it: the column, then what is wrong with the cell. */
function issueText(issue: z.core.$ZodIssue): string {
  const column = columnLabel(issue.path);
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${column}为空`;
  if (issue.path[0] === 'level') return `${column}应为“中央”或“省”`;
  return `${column}${issue.message}`;
}

const LEVELS: Record<string, string> = { 中央: 'CENTRAL', 中央级: 'CENTRAL', 省: 'PROVINCIAL', 省级: 'PROVINCIAL' };

export interface ImportRow {
  /** Where the row is, for the report ("export.csv line 5"). */
  where: string;
  line: number;
  raw: Record<string, unknown>;
}

export interface ImportReport {
  total: number;
  created: number;
  existing: number;
  rejected: Array<{ where: string; line: number; docNumber?: string; reason: string; issues?: unknown }>;
}

/**
 * Reads the document rows of every table of the file that has a 文号/docNumber
 * column; `warnings` names the columns and sheets that were left out.
 */
export async function readDocumentRows(file: string, content?: Buffer): Promise<{ rows: ImportRow[]; warnings: string[] }> {
  const all = await readTables(file, DOCUMENT_COLUMNS, content);
  const tables = all.filter((t) => t.fields.includes('docNumber'));
  if (tables.length === 0) throw new Error(`${file}: no table with a docNumber (文号) column`);
  const warnings = [
    ...all.filter((t) => !tables.includes(t)).map((t) => `${t.source}: no docNumber (文号) column, skipped`),
    ...tables.filter((t) => t.ignoredColumns.length).map((t) => `${t.source}: columns ignored: ${t.ignoredColumns.join(', ')}`),
  ];
  const rows = tables.flatMap((t) =>
    t.rows.map(({ line, values }) => {
      const raw = { ...values };
      if (typeof raw.level === 'string') raw.level = LEVELS[raw.level] ?? raw.level.toUpperCase();
      for (const f of ['issuedAt', 'receivedAt']) if (f in raw) raw[f] = dateCell(raw[f]);
      if ('participantUnitIds' in raw) raw.participantUnitIds = listCell(raw.participantUnitIds);
      return { where: where(t, line), line, raw };
    }),
  );
  return { rows, warnings };
}

export async function importDocuments(
  db: Db,
  client: Client,
  rows: ImportRow[],
  opts: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ImportReport> {
  const report: ImportReport = { total: rows.length, created: 0, existing: 0, rejected: [] };
  // Indexed by row, so the report lists rejected rows in file order whatever lane finished first.
  const rejected: ImportReport['rejected'] = [];
  let next = 0;
  let done = 0;
  async function lane(): Promise<void> {
    while (next < rows.length) {
      const index = next++;
      const row = rows[index];
      // The report is read by the office's registry clerks: zod's messages in Chinese, whatever the process's locale.
      const parsed = DocumentArrival.safeParse(row.raw, { error: ZH.localeError });
      if (!parsed.success) {
        const reason = `字段不合法：${parsed.error.issues.map(issueText).join('；')}`;
        rejected[index] = { where: row.where, line: row.line, docNumber: labelCell(row.raw.docNumber), reason, issues: z.treeifyError(parsed.error) };
      } else {
        try {
          const { created } = await registerDocument(db, client, parsed.data);
          if (created) report.created++;
          else report.existing++;
        } catch (err) {
          // A bad row (unknown unit...) is reported; an outage stops the import.
          if (!(err instanceof ApiError) || err.status >= 500) throw err;
          rejected[index] = { where: row.where, line: row.line, docNumber: parsed.data.docNumber, reason: err.message, issues: err.details };
        }
      }
      opts.onProgress?.(++done, rows.length);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, lane));
  report.rejected = rejected.filter(Boolean);
  return report;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const ci = args.indexOf('--concurrency');
  if (!file) {
    console.error('usage: npm run import:documents -- <export.csv|export.xlsx|export.json> [--concurrency N]');
    return 1;
  }
  const config = scriptConfig();
  const { rows, warnings } = await readDocumentRows(file);
  for (const w of warnings) console.error(`warning: ${w}`);
  const db = createDb(config.DATABASE_URL, 10);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: payloadDataConverter(config.DUBAN_PAYLOAD_KEYS) });
    const report = await importDocuments(db, client, rows, {
      concurrency: ci >= 0 ? Number(args[ci + 1]) : 8,
      onProgress: progressLine('imported', rows.length),
    });
    console.log(`${report.total} rows: ${report.created} new, ${report.existing} already known, ${report.rejected.length} rejected`);
    for (const r of report.rejected) console.log(`  ${r.where} ${r.docNumber ?? ''}: ${r.reason}`);
    return report.rejected.length ? 2 : 0;
  } finally {
    await db.$disconnect();
    await connection.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
