// Brings up what the benchmarks need, exactly as jest does (tests/support/globalSetup):
// a fresh migrated and seeded database on the project's test cluster (or
// DATABASE_URL's server), an in-memory Temporal dev server and the SMTP sink.
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createApp } from '../api/app';
import { createMailer, type Mailer } from '../activities/mailer';
import { createDb, type Db } from '../common/db';
import globalSetup from '../tests/support/globalSetup';
import globalTeardown from '../tests/support/globalTeardown';
import { tokenFor } from '../tests/support/deps';
import { WORKFLOWS_PATH, createWorker } from '../worker/createWorker';
import { BASELINE_TASK_QUEUE, createBaselineActivities } from './baseline';

/**
 * Worker settings shared by duban's and the baseline's worker in B1–B3: the production defaults
 * (common/config.ts) but for a cache of 2,000 workflows (500 deployed). B4 runs the worker as deployed.
 */
export const WORKER_SETTINGS = { WORKER_ACTIVITY_CONCURRENCY: 8, WORKER_MAX_CACHED_WORKFLOWS: 2000, WORKER_SHUTDOWN_GRACE: '5s' };

let bundle: Promise<string> | undefined;
/**
 * duban's workflow bundle, built once per run into a temporary file (as production
 * workers load it, WORKFLOW_BUNDLE_PATH): every worker of the run reuses it, so no
 * benchmark pays for, or measures, a webpack run.
 */
export function workflowBundle(): Promise<string> {
  bundle ??= (async () => {
    const quiet = { log: () => {}, trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-bench-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(file, code);
    return file;
  })();
  return bundle;
}

export interface Services {
  db: Db;
  mailer: Mailer;
  connection: Connection;
  client: Client;
  native: NativeConnection;
  close(): Promise<void>;
}

export async function startServices(): Promise<Services> {
  await globalSetup();
  const db = createDb(process.env.DATABASE_URL!, 20);
  const mailer = createMailer(process.env.SMTP_URL!, '市委改革办督办系统 <duban@bench.local>');
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const native = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  return {
    db,
    mailer,
    connection,
    client,
    native,
    async close() {
      mailer.close();
      await db.$disconnect().catch(() => undefined);
      await connection.close().catch(() => undefined);
      await native.close().catch(() => undefined);
      await globalTeardown();
    },
  };
}

export interface Running {
  worker: Worker;
  stop(): Promise<void>;
}

async function run(worker: Worker): Promise<Running> {
  const done = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done.catch(() => undefined);
    },
  };
}

/** duban's worker with its real activities, in this process. */
export async function startDubanWorker(s: Services): Promise<Running> {
  // Its own database pool, sized like worker/main.ts does (activity slots + headroom).
  const db = createDb(process.env.DATABASE_URL!, WORKER_SETTINGS.WORKER_ACTIVITY_CONCURRENCY + 2);
  const w = await createWorker(
    { connection: s.native, namespace: s.client.options.namespace, deps: { db, mailer: s.mailer }, workflowBundlePath: await workflowBundle() },
    WORKER_SETTINGS,
  );
  const r = await run(w);
  return { worker: w, stop: async () => (await r.stop(), await db.$disconnect()) };
}

/** The baseline worker: same settings, its own task queue, no-op code. `onNoop` sees every activity call. */
export async function startBaselineWorker(s: Services, onNoop: () => void): Promise<Running> {
  const acts = createBaselineActivities();
  const w = await Worker.create({
    connection: s.native,
    namespace: s.client.options.namespace,
    taskQueue: BASELINE_TASK_QUEUE,
    workflowsPath: require.resolve('./baseline'),
    activities: { noop: async () => (onNoop(), acts.noop()) },
    maxConcurrentActivityTaskExecutions: WORKER_SETTINGS.WORKER_ACTIVITY_CONCURRENCY,
    maxCachedWorkflows: WORKER_SETTINGS.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: '5s',
  });
  return run(w);
}

export interface Api {
  base: string;
  /** Bearer token of the reform office's administrator (ro-director). */
  adminToken: string;
  tokenOf(officialId: string): Promise<string>;
  close(): Promise<void>;
}

/** The real HTTP API on a free loopback port. */
export async function startApi(s: Services): Promise<Api> {
  const server: Server = await new Promise((resolve) => {
    // One bench caller stands for a whole city of officials: the flood limits (api/rateLimits.ts)
    // stay mounted, and are measured, but are set out of reach.
    const rateLimits = { perCaller: 1_000_000_000, perWorkflow: 1_000_000_000 };
    const srv = createApp({ db: s.db, client: s.client, rateLimits }).listen(0, '127.0.0.1', () => resolve(srv));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  return {
    base,
    adminToken: await tokenFor(s.db, 'ro-director'),
    tokenOf: (id) => tokenFor(s.db, id),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
