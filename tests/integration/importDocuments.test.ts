/**
 * The document import (scripts/import-documents.ts) on what the document
 * exchange system exports in Chinese offices: a GBK CSV with Chinese column
 * titles, levels and dates, and an .xlsx with real date cells and a notes
 * sheet. Good rows arrive like webhook POSTs, bad ones are reported by line.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { importDocuments, readDocumentRows } from '../../scripts/import-documents';
import { startDevServerClient, type DevServerClient } from '../support/devServer';

const fixture = (name: string) => path.join(__dirname, '../fixtures/import', name);

describe('document import from GBK CSV and .xlsx', () => {
  let harness: DevServerClient;
  beforeAll(async () => {
    harness = await startDevServerClient();
  });
  afterAll(() => harness?.close());

  it.each([
    ['documents-gbk.csv', ['鲁发〔2026〕31号', '中发〔2026〕32号'], ['documents-gbk.csv line 4', 'documents-gbk.csv line 5']],
    ['documents.xlsx', ['鲁发〔2026〕41号', '中发〔2026〕42号', '鲁发〔2026〕44号'], ['documents.xlsx 收文登记 row 4']],
  ])('%s: good rows registered with their workflow, bad rows reported, a re-run harmless', async (file, good, bad) => {
    const { rows, warnings } = await readDocumentRows(fixture(file));
    const progress: number[] = [];
    const first = await importDocuments(harness.deps.db, harness.client, rows, { concurrency: 2, onProgress: (d) => progress.push(d) });
    process.stdout.write(`[import-documents] ${file}: ${first.total} rows, ${first.created} new, ${first.rejected.length} rejected (${first.rejected.map((r) => `${r.where}: ${r.reason}`).join('; ')}); warnings: ${warnings.join('; ')}\n`);
    expect(first).toMatchObject({ total: good.length + bad.length, created: good.length, existing: 0 });
    expect(first.rejected.map((r) => r.where)).toEqual(bad);
    // Officials read the reasons: Chinese, naming the column, never zod's English.
    for (const r of first.rejected) expect(r.reason).not.toMatch(/invalid|expected|undefined|string|required/i);
    expect(progress).toEqual(rows.map((_r, i) => i + 1));
    for (const docNumber of good) {
      const doc = await harness.deps.db.document.findUniqueOrThrow({ where: { docNumber } });
      expect((await harness.client.workflow.getHandle(doc.workflowId).describe()).status.name).toBe('RUNNING');
    }
    const second = await importDocuments(harness.deps.db, harness.client, rows);
    expect(second).toMatchObject({ created: 0, existing: good.length });
  });

  it('reads Chinese levels and dates into the arrival schema', async () => {
    const doc = await harness.deps.db.document.findUniqueOrThrow({ where: { docNumber: '鲁发〔2026〕31号' } });
    expect(doc).toMatchObject({ level: 'PROVINCIAL', leadUnitId: 'dept-health', participantUnitIds: ['dept-finance', 'dept-ndrc'] });
    expect(doc.issuedAt.toISOString()).toBe('2026-11-02T00:00:00.000Z');
    expect(doc.receivedAt.toISOString()).toBe('2026-11-03T00:00:00.000Z');
    expect((await harness.deps.db.document.findUniqueOrThrow({ where: { docNumber: '鲁发〔2026〕44号' } })).title).toBe('关于深化土地制度改革的意见');
  });

  it('npm run import:documents: a progress line per tenth on stderr, the report with each bad row on stdout, exit code 2', async () => {
    // After the tests above: the good rows are known, so the command only finds them again.
    const script = path.join(__dirname, '../../scripts/import-documents.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, fixture('documents-gbk.csv'), '--concurrency', '1'], { env: process.env });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (b: Buffer) => (out.stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (out.stderr += b.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    process.stdout.write(`[import-documents] CLI exit ${code}\n${out.stderr}${out.stdout}`);
    expect(out.stderr.split('\n').filter((l) => l.startsWith('imported'))).toEqual(['imported 1/4', 'imported 2/4', 'imported 3/4', 'imported 4/4']);
    expect(out.stderr).toContain('warning: documents-gbk.csv: columns ignored: 备注');
    const report = out.stdout.trim().split('\n');
    expect(report[0]).toBe('4 rows: 0 new, 2 already known, 2 rejected');
    expect(report.slice(1).map((l) => l.trim().split(' ').slice(0, 3).join(' '))).toEqual(['documents-gbk.csv line 4', 'documents-gbk.csv line 5']);
    expect(code).toBe(2);
  });
});
