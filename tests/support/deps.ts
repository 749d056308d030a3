/**
 * The real dependencies tests run activities with: the run's PostgreSQL
 * database and the SMTP sink (both started by globalSetup), plus helpers to
 * build a worker and to mint bearer tokens for seeded officials.
 */
import type { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { createDb, type Db } from '../../common/db';
import { issueToken, TOKEN_LIFETIME_DAYS_DEFAULT } from '../../common/tokens';
import { createMailer, type Mailer } from '../../activities/mailer';
import { createWorker } from '../../worker/createWorker';
import { TASK_QUEUE } from '../../common/taskQueues';

export interface TestDeps {
  db: Db;
  mailer: Mailer;
  close(): Promise<void>;
}

/** The run's database and SMTP sink; `databaseUrl`: a database of the caller's own instead (tests/support/isolatedDatabase.ts). */
export function testDeps(databaseUrl?: string): TestDeps {
  const url = databaseUrl ?? process.env.DATABASE_URL;
  const smtp = process.env.SMTP_URL;
  if (!url || !smtp) throw new Error('DATABASE_URL and SMTP_URL are set by jest globalSetup');
  const db = createDb(url, 10);
  const mailer = createMailer(smtp, '市委改革办督办系统 <duban@test.local>');
  return {
    db,
    mailer,
    async close() {
      mailer.close();
      await db.$disconnect();
    },
  };
}

/**
 * Workflow cache size of test workers. DUBAN_TEST_MAX_CACHED_WORKFLOWS=0 forces
 * a full replay of the history on every workflow task (and 3 evicts often), so
 * the same tests prove that replay reaches the same decisions (forced replay).
 */
export function testMaxCachedWorkflows(): number {
  const v = process.env.DUBAN_TEST_MAX_CACHED_WORKFLOWS;
  if (v === undefined || v === '') return 100;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`DUBAN_TEST_MAX_CACHED_WORKFLOWS=${v} is not a cache size`);
  return n;
}

/**
 * The workflow bundle `npm test` built from this tree just before jest (scripts/test.sh): every worker of the
 * run loads it instead of running webpack again. Unset (jest run directly), workers bundle the source themselves.
 */
export function prebuiltWorkflowBundle(): string | undefined {
  return process.env.DUBAN_TEST_WORKFLOW_BUNDLE || undefined;
}

/** A worker on the real task queue with the real activities, by default in this jest worker's namespace of the run's dev server. */
export function testWorker(connection: NativeConnection, deps: TestDeps, overrides: Partial<WorkerOptions> = {}, namespace = process.env.TEMPORAL_NAMESPACE ?? 'default'): Promise<Worker> {
  // A short sticky-queue timeout: after a worker stops, its cached workflows' next
  // tasks move to the shared queue in a second instead of waiting out the default.
  return createWorker({ connection, namespace, deps, taskQueue: TASK_QUEUE, workflowBundlePath: prebuiltWorkflowBundle(), overrides: { stickyQueueScheduleToStartTimeout: '1s', ...overrides } }, {
    WORKER_ACTIVITY_CONCURRENCY: 8,
    WORKER_MAX_CACHED_WORKFLOWS: testMaxCachedWorkflows(),
    WORKER_SHUTDOWN_GRACE: '5s',
  });
}

/** Mints a bearer token for a seeded official, as `npm run token` does. */
export async function tokenFor(db: Db, officialId: string): Promise<string> {
  return (await issueToken(db, officialId, { label: 'test', days: TOKEN_LIFETIME_DAYS_DEFAULT })).token;
}

/** A document number unique to this test run, so parallel test files never collide. */
let docSeq = 0;
/**
 * A document number no other test file or run of this process uses: fixed-width time, process
 * and sequence (a bare concatenation of numbers let 68914|280 and 689142|80 collide).
 */
export function uniqueDocNumber(prefix: string): string {
  docSeq += 1;
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${prefix}〔2026〕${pad(Date.now() % 1_000_000, 6)}${pad(process.pid % 100_000, 5)}${pad(docSeq % 1000, 3)}号`;
}
