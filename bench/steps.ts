// B1 (arrivals) and B2 (steps): duban through its real HTTP API against bare
// Temporal on the same dev server, same worker settings, same concurrency.
import type { Client } from '@temporalio/client';
import type { Db } from '../common/db';
import { baselineArrival, baselineUpdates, BASELINE_TASK_QUEUE, finishSignal, noopUpdate } from './baseline';
import { benchDocument, benchLedger, http, log, pool, quantile, sleep, spread, type Spread } from './lib';
import type { Api } from './stack';

export interface Row {
  id: string;
  name: string;
  unit: string;
  baseline: Spread;
  duban: Spread;
  /** duban ÷ baseline per repetition (paired: same repetition, same moment of the machine's load). */
  ratio: Spread;
  target: string;
  met: boolean;
  note: string;
}

interface Created {
  document: { id: string; workflowId: string };
}

async function dubanArrivals(api: Api, db: Db, n: number, concurrency: number, tag: string): Promise<number> {
  const ids: string[] = [];
  const t0 = performance.now();
  await pool(n, concurrency, async (i) => {
    const r = await http<Created>(api.base, api.adminToken, 'POST', '/documents', benchDocument(`鲁改发〔2026〕B1-${tag}-${i}号`, `基准测试文件 B1-${tag}-${i}`));
    ids.push(r.document.id);
  });
  // "Arrived" = its first notice (交办单) is stored, not merely accepted by the API.
  for (;;) {
    const stored = await db.notice.count({ where: { subjectType: 'document', kind: 'ASSIGNMENT', subjectId: { in: ids } } });
    if (stored >= n) break;
    await sleep(25);
  }
  return n / ((performance.now() - t0) / 1000);
}

async function baselineArrivals(client: Client, counter: { n: number }, n: number, concurrency: number, tag: string): Promise<number> {
  const start = counter.n;
  const t0 = performance.now();
  await pool(n, concurrency, async (i) => {
    await client.workflow.start(baselineArrival, { taskQueue: BASELINE_TASK_QUEUE, workflowId: `bench-b1-${tag}-${i}` });
  });
  // The equivalent of "first notice stored": its one activity has run.
  while (counter.n - start < n) await sleep(25);
  return n / ((performance.now() - t0) / 1000);
}

export async function benchArrivals(o: { api: Api; db: Db; client: Client; counter: { n: number }; n: number; concurrency: number; reps: number }): Promise<Row> {
  const base: number[] = [];
  const dub: number[] = [];
  for (let r = 0; r < o.reps; r++) {
    const tag = `${Date.now() % 1e7}-${r}`;
    // Alternate the order so neither side always runs on a warmer (or busier) server.
    const runBase = async () => base.push(await baselineArrivals(o.client, o.counter, o.n, o.concurrency, tag));
    const runDuban = async () => dub.push(await dubanArrivals(o.api, o.db, o.n, o.concurrency, tag));
    for (const run of r % 2 === 0 ? [runBase, runDuban] : [runDuban, runBase]) await run();
    log(`B1 rep ${r + 1}/${o.reps}: baseline ${base[r].toFixed(1)}/s, duban ${dub[r].toFixed(1)}/s`);
  }
  const ratio = spread(dub.map((d, i) => d / base[i]));
  return {
    id: 'B1',
    name: `arrivals (${o.n} documents, concurrency ${o.concurrency}, ${o.reps}×)`,
    unit: 'documents/s',
    baseline: spread(base),
    duban: spread(dub),
    ratio,
    target: 'ratio ≥ 0.8',
    met: ratio.median >= 0.8,
    note: 'POST /api/documents until the 交办单 notice row is stored; baseline: client.workflow.start of a no-op workflow until its one no-op activity ran',
  };
}

// ---------------------------------------------------------------- B2

/** Documents ready for steps: arrived, acknowledged, ledger opened with one task. Returns [documentId, taskId]. */
async function prepareLedgers(api: Api, count: number, tag: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  await pool(count, 8, async (i) => {
    const { document } = await http<Created>(api.base, api.adminToken, 'POST', '/documents', benchDocument(`鲁改发〔2026〕B2-${tag}-${i}号`, `基准测试文件 B2-${tag}-${i}`));
    await http(api.base, api.adminToken, 'POST', `/documents/${document.id}/acknowledge`, {});
    const view = await http<{ ledgerTasks: Array<{ id: string }> }>(api.base, api.adminToken, 'POST', `/documents/${document.id}/ledger`, benchLedger());
    out.push([document.id, view.ledgerTasks[0].id]);
  });
  return out;
}

export async function benchSteps(o: { api: Api; client: Client; n: number; docs: number; concurrency: number; reps: number }): Promise<Row> {
  const tag = `${Date.now() % 1e7}`;
  log(`B2: preparing ${o.docs} documents with an open ledger task, and ${o.docs} baseline workflows`);
  const ledgers = await prepareLedgers(o.api, o.docs, tag);
  const handles = await Promise.all(
    Array.from({ length: o.docs }, (_, i) => o.client.workflow.start(baselineUpdates, { taskQueue: BASELINE_TASK_QUEUE, workflowId: `bench-b2-${tag}-${i}` })),
  );
  // Warm both sides once (first update of each workflow loads it into the cache).
  await pool(o.docs, o.concurrency, async (i) => void (await handles[i].executeUpdate(noopUpdate, { args: [i] })));
  const p50 = { base: [] as number[], dub: [] as number[] };
  const p99 = { base: [] as number[], dub: [] as number[] };
  // Consecutive steps go to different documents, so concurrent steps never queue on one workflow.
  const measure = async (fn: (i: number) => Promise<unknown>) => {
    const lat: number[] = [];
    await pool(o.n, o.concurrency, async (i) => {
      const t = performance.now();
      await fn(i);
      lat.push(performance.now() - t);
    });
    lat.sort((a, b) => a - b);
    return { p50: quantile(lat, 0.5), p99: quantile(lat, 0.99) };
  };
  for (let r = 0; r < o.reps; r++) {
    const runBase = async () => {
      const m = await measure((i) => handles[i % o.docs].executeUpdate(noopUpdate, { args: [i] }));
      p50.base.push(m.p50);
      p99.base.push(m.p99);
    };
    const runDuban = async () => {
      const m = await measure((i) => {
        const [doc, task] = ledgers[i % o.docs];
        return http(o.api.base, o.api.adminToken, 'POST', `/documents/${doc}/ledger-tasks/${encodeURIComponent(task)}/progress`, { note: `第${r}轮第${i}次进展` });
      });
      p50.dub.push(m.p50);
      p99.dub.push(m.p99);
    };
    for (const run of r % 2 === 0 ? [runBase, runDuban] : [runDuban, runBase]) await run();
    log(`B2 rep ${r + 1}/${o.reps}: baseline p50 ${p50.base[r].toFixed(1)} p99 ${p99.base[r].toFixed(1)} ms; duban p50 ${p50.dub[r].toFixed(1)} p99 ${p99.dub[r].toFixed(1)} ms`);
  }
  await Promise.all(handles.map((h) => h.signal(finishSignal)));
  const ratio = spread(p99.dub.map((d, i) => d / p99.base[i]));
  return {
    id: 'B2',
    name: `steps (${o.n} ledger-progress updates over ${o.docs} documents, concurrency ${o.concurrency}, ${o.reps}×) — p99`,
    unit: 'ms (p99)',
    baseline: spread(p99.base),
    duban: spread(p99.dub),
    ratio,
    target: 'p99 ratio ≤ 1.5',
    met: ratio.median <= 1.5,
    note: `p50 baseline ${spread(p50.base).median.toFixed(1)} ms, duban ${spread(p50.dub).median.toFixed(1)} ms (median of repetitions); duban: POST …/ledger-tasks/:taskId/progress (auth, audit, update recording to PostgreSQL, detail read); baseline: executeUpdate with a no-op handler`,
  };
}
