/**
 * Bulk import of superior documents from the document-exchange system's
 * export (CSV or JSON). Each valid row arrives exactly like a webhook POST:
 * registered once and its workflow started once, so re-running an import is
 * harmless. Bad rows are reported with their line and the zod issues; the
 * good ones are imported anyway.
 *
 *   npx tsx scripts/import-documents.ts export.csv [--concurrency 8]
 *
 * CSV columns: level,title,docNumber,issuedAt,receivedAt,leadUnitId,participantUnitIds,implementsDocNumber
 * (participantUnitIds separated by ";" or "|"). JSON: an array of the same objects.
 * Exit code: 0 all imported, 2 some rows rejected, 1 could not run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { payloadDataConverter } from '../common/codec';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { registerDocument } from '../api/documentArrival';
import { ApiError } from '../api/errors';
import { DocumentArrival } from '../api/schemas/documents';
import { loadConfig } from '../common/config';
import { createDb, type Db } from '../common/db';

export interface ImportRow {
  line: number;
  raw: Record<string, unknown>;
}

export interface ImportReport {
  total: number;
  created: number;
  existing: number;
  rejected: Array<{ line: number; docNumber?: string; reason: string; issues?: unknown }>;
}

/** Reads rows from CSV or JSON, keeping each row's line (CSV) or index + 1 (JSON) for the report. */
export function readRows(file: string, content: string): ImportRow[] {
  if (path.extname(file).toLowerCase() === '.json') {
    const data: unknown = JSON.parse(content);
    if (!Array.isArray(data)) throw new Error('a JSON import file must hold an array of documents');
    return data.map((raw, i) => ({ line: i + 1, raw: raw as Record<string, unknown> }));
  }
  const records = parse(content, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true }) as Array<{
    record: Record<string, string>;
    info: { lines: number };
  }>;
  return records.map(({ record, info }) => {
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) if (v !== '') raw[k] = v;
    if (typeof raw.participantUnitIds === 'string') raw.participantUnitIds = raw.participantUnitIds.split(/[;|]/).map((s) => s.trim()).filter(Boolean);
    return { line: info.lines, raw };
  });
}

export async function importDocuments(
  db: Db,
  client: Client,
  rows: ImportRow[],
  opts: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ImportReport> {
  const report: ImportReport = { total: rows.length, created: 0, existing: 0, rejected: [] };
  let next = 0;
  let done = 0;
  async function lane(): Promise<void> {
    while (next < rows.length) {
      const row = rows[next++];
      const parsed = DocumentArrival.safeParse(row.raw);
      if (!parsed.success) {
        report.rejected.push({ line: row.line, docNumber: String(row.raw.docNumber ?? ''), reason: '字段不合法', issues: z.treeifyError(parsed.error) });
      } else {
        try {
          const { created } = await registerDocument(db, client, parsed.data);
          if (created) report.created++;
          else report.existing++;
        } catch (err) {
          // A bad row (unknown unit...) is reported; an outage stops the import.
          if (!(err instanceof ApiError) || err.status >= 500) throw err;
          report.rejected.push({ line: row.line, docNumber: parsed.data.docNumber, reason: err.message, issues: err.details });
        }
      }
      opts.onProgress?.(++done, rows.length);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, lane));
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const ci = args.indexOf('--concurrency');
  if (!file) {
    console.error('usage: tsx scripts/import-documents.ts <export.csv|export.json> [--concurrency N]');
    return 1;
  }
  const config = loadConfig();
  const rows = readRows(file, fs.readFileSync(file, 'utf8'));
  const db = createDb(config.DATABASE_URL, 10);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: payloadDataConverter(config.DUBAN_PAYLOAD_KEYS) });
    const report = await importDocuments(db, client, rows, {
      concurrency: ci >= 0 ? Number(args[ci + 1]) : 8,
      onProgress: (done, total) => {
        if (done === total || done % 25 === 0) process.stderr.write(`\rimported ${done}/${total}`);
      },
    });
    process.stderr.write('\n');
    console.log(`${report.total} rows: ${report.created} new, ${report.existing} already known, ${report.rejected.length} rejected`);
    for (const r of report.rejected) console.log(`  line ${r.line} ${r.docNumber ?? ''}: ${r.reason} ${r.issues ? JSON.stringify(r.issues) : ''}`);
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
