/**
 * The document import (scripts/import-documents.ts) on what the document
 * exchange system exports in Chinese offices: a GBK CSV with Chinese column
 * titles, levels and dates, and an .xlsx with real date cells and a notes
 * sheet. Good rows arrive like webhook POSTs, bad ones are reported by line.
 */
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
});
