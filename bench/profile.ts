/**
 * Where one arrival and one official's step spend their time, end to end
 * (`npm run bench:profile`): each runs alone, one at a time, on the benchmarks'
 * stack (bench/stack.ts) after a warm-up, and is broken down into
 *  - its HTTP answer as the caller waits for it;
 *  - every SQL statement, by who ran it (the API or an activity) and what
 *    (Prisma model.operation), timed by a client extension;
 *  - every e-mail the SMTP sink accepted, timed around the mailer;
 *  - its workflow's history: each event's time after the request was sent, so
 *    Temporal's round trips (task scheduled → picked up → completed) show.
 * Prints a markdown section (for bench/RESULTS.md) on stdout and writes nothing itself.
 * Options: `--runs N` (default 20).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { temporal } from '@temporalio/proto';
import { createApp } from '../api/app';
import type { Mailer } from '../activities/mailer';
import { createDb, type Db } from '../common/db';
import { tokenFor } from '../tests/support/deps';
import { createWorker } from '../worker/createWorker';
import { benchDocument, benchLedger, http, log, machine, quantile, sleep } from './lib';
import { startServices, WORKER_SETTINGS, workflowBundle } from './stack';

type Side = 'api' | 'activity';
interface Sample {
  side: Side | 'smtp';
  what: string;
  ms: number;
}

let samples: Sample[] = [];

/** A database whose every operation (raw statements and those inside transactions too) is timed as `side`. */
function timedDb(side: Side, poolSize: number): Db {
  return createDb(process.env.DATABASE_URL!, poolSize).$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const t = performance.now();
        try {
          return await query(args);
        } finally {
          samples.push({ side, what: `${model ?? ''}${model ? '.' : ''}${operation}`, ms: performance.now() - t });
        }
      },
    },
  }) as unknown as Db;
}

function timedMailer(inner: Mailer): Mailer {
  return {
    async send(mail) {
      const t = performance.now();
      try {
        await inner.send(mail);
      } finally {
        samples.push({ side: 'smtp', what: 'send', ms: performance.now() - t });
      }
    },
    close: () => inner.close(),
  };
}

/** A protobuf Timestamp (seconds may be a Long) in epoch milliseconds. */
const epochMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number => {
  const sec = t?.seconds as { toNumber?: () => number } | number | undefined;
  return (typeof sec === 'number' ? sec : (sec?.toNumber?.() ?? 0)) * 1000 + (t?.nanos ?? 0) / 1e6;
};

interface Run {
  httpMs: number;
  doneMs: number;
  samples: Sample[];
  /** History events after the request was sent: type and ms after it. */
  events: Array<{ type: string; at: number }>;
}

const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

function report(title: string, what: string, runs: Run[]): string {
  const lines = [`### ${title}`, '', what, ''];
  lines.push(`- HTTP answer: median ${f(median(runs.map((r) => r.httpMs)))} ms (min ${f(Math.min(...runs.map((r) => r.httpMs)))}, max ${f(Math.max(...runs.map((r) => r.httpMs)))})`);
  lines.push(`- until done (see above): median ${f(median(runs.map((r) => r.doneMs)))} ms`);
  // Statements per run and their time, by side and operation.
  const keys = new Map<string, { side: string; what: string }>();
  for (const r of runs) for (const s of r.samples) keys.set(`${s.side} ${s.what}`, { side: s.side, what: s.what });
  const rows = [...keys.entries()].map(([k, { side, what }]) => {
    const counts = runs.map((r) => r.samples.filter((s) => `${s.side} ${s.what}` === k).length);
    const times = runs.map((r) => r.samples.filter((s) => `${s.side} ${s.what}` === k).reduce((a, s) => a + s.ms, 0));
    return { side, what, count: median(counts), ms: median(times) };
  });
  rows.sort((a, b) => b.ms - a.ms);
  for (const side of ['api', 'activity', 'smtp']) {
    const mine = rows.filter((r) => r.side === side);
    lines.push(`- ${side === 'smtp' ? 'SMTP sends' : `SQL by the ${side === 'api' ? 'API' : 'activities'}`}: ${mine.reduce((a, r) => a + r.count, 0)} per run, ${f(mine.reduce((a, r) => a + r.ms, 0))} ms (medians summed)`);
  }
  lines.push('', '| who | operation | per run (median) | ms per run (median) |', '|---|---|---|---|');
  for (const r of rows) lines.push(`| ${r.side} | ${r.what} | ${r.count} | ${f(r.ms)} |`);
  // The history: each event's median time after the request, when every run has the same sequence.
  const first = runs[0].events.map((e) => e.type);
  const same = runs.every((r) => r.events.length === first.length && r.events.every((e, i) => e.type === first[i]));
  lines.push('', same ? `Workflow history after the request (median ms after it was sent, ${runs.length} runs):` : 'Workflow history after the request (the first run; the runs differ in their events):', '');
  lines.push('| # | event | ms after the request |', '|---|---|---|');
  first.forEach((type, i) => lines.push(`| ${i + 1} | ${type} | ${f(same ? median(runs.map((r) => r.events[i].at)) : runs[0].events[i].at)} |`));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
  const WARMUP = 3;
  const s = await startServices();
  const apiDb = timedDb('api', 20);
  const workerDb = timedDb('activity', WORKER_SETTINGS.WORKER_ACTIVITY_CONCURRENCY + 2);
  const worker = await createWorker(
    { connection: s.native, namespace: s.client.options.namespace, deps: { db: workerDb, mailer: timedMailer(s.mailer) }, workflowBundlePath: await workflowBundle() },
    WORKER_SETTINGS,
  );
  const running = worker.run();
  const server: Server = await new Promise((resolve) => {
    const srv = createApp({ db: apiDb, client: s.client, rateLimits: { perCaller: 1e9, perWorkflow: 1e9 } }).listen(0, '127.0.0.1', () => resolve(srv));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  const token = await tokenFor(s.db, 'ro-director');
  const tag = Date.now() % 1e7;
  const historyAfter = async (workflowId: string, t0Wall: number) => {
    const h = await s.client.workflow.getHandle(workflowId).fetchHistory();
    return (h.events ?? [])
      .map((e) => ({ type: temporal.api.enums.v1.EventType[e.eventType ?? 0].replace(/^EVENT_TYPE_/, ''), at: epochMs(e.eventTime) - t0Wall }))
      .filter((e) => e.at >= -1);
  };
  const waitFor = async (cond: () => Promise<boolean>) => {
    for (let i = 0; i < 2000 && !(await cond()); i++) await sleep(5);
  };
  // Samples still arriving from the previous run (its last statements) must not count in the next.
  const settle = () => sleep(300);

  interface Created {
    document: { id: string; workflowId: string };
  }
  const arrival = (docNumber: string) => benchDocument(docNumber, `剖析文件 ${docNumber}`);

  // ---- one arrival: POST /documents until its 交办单 is delivered to every recipient
  const arrivals: Run[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    await settle();
    samples = [];
    const t0Wall = Date.now();
    const t0 = performance.now();
    const { document } = await http<Created>(base, token, 'POST', '/documents', arrival(`鲁剖〔2026〕${tag}-${i}号`));
    const httpMs = performance.now() - t0;
    await waitFor(async () => (await s.db.notice.count({ where: { subjectId: document.id, kind: 'ASSIGNMENT', status: 'SENT' } })) === 1);
    const doneMs = performance.now() - t0;
    await settle();
    if (i >= WARMUP) arrivals.push({ httpMs, doneMs, samples, events: await historyAfter(document.workflowId, t0Wall) });
    log(`arrival ${i + 1}/${WARMUP + RUNS}${i < WARMUP ? ' (warm-up)' : ''}: HTTP ${f(httpMs)} ms, delivered ${f(doneMs)} ms`);
  }

  // ---- one step: a ledger task's progress (B2's step) until its HTTP answer
  const { document } = await http<Created>(base, token, 'POST', '/documents', arrival(`鲁剖〔2026〕${tag}-step号`));
  await http(base, token, 'POST', `/documents/${document.id}/acknowledge`, {});
  const ledger = await http<{ ledgerTasks: Array<{ id: string }> }>(base, token, 'POST', `/documents/${document.id}/ledger`, benchLedger());
  const taskId = encodeURIComponent(ledger.ledgerTasks[0].id);
  const steps: Run[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    await settle();
    samples = [];
    const t0Wall = Date.now();
    const t0 = performance.now();
    await http(base, token, 'POST', `/documents/${document.id}/ledger-tasks/${taskId}/progress`, { note: `第${i}次进展` });
    const httpMs = performance.now() - t0;
    await settle();
    if (i >= WARMUP) steps.push({ httpMs, doneMs: httpMs, samples, events: await historyAfter(document.workflowId, t0Wall) });
    log(`step ${i + 1}/${WARMUP + RUNS}${i < WARMUP ? ' (warm-up)' : ''}: HTTP ${f(httpMs)} ms`);
  }

  console.log(
    [
      `## Profile of ${new Date().toISOString()}`,
      '',
      `- command: \`npm run bench:profile -- --runs ${RUNS}\` (bench/profile.ts); one at a time after ${WARMUP} warm-ups, nothing else running`,
      `- machine: ${machine()}`,
      '',
      report('One arrival', 'POST /api/documents (a PROVINCIAL document with a lead and a participant unit) until its 交办单 is stored and sent to all its recipients (“until done”).', arrivals),
      '',
      report('One step', 'POST /api/documents/:id/ledger-tasks/:taskId/progress (B2’s step) until its HTTP answer (“until done” = the answer).', steps),
      '',
    ].join('\n'),
  );
  server.close();
  worker.shutdown();
  await running;
  await apiDb.$disconnect();
  await workerDb.$disconnect();
  await s.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
