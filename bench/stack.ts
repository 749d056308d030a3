// Brings up what the benchmarks need, exactly as jest does (tests/support/globalSetup):
// a fresh migrated and seeded database on the project's test cluster (or
// DATABASE_URL's server), an in-memory Temporal dev server and the SMTP sink.
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, bundleWorkflowCode } from '@temporalio/worker';
import { createMailer, type Mailer } from '../activities/mailer';
import { loadConfig, type Config } from '../common/config';
import { createDb, type Db } from '../common/db';
import { REPO_ROOT, spawnManaged } from '../scripts/stack';
import globalSetup from '../tests/support/globalSetup';
import globalTeardown from '../tests/support/globalTeardown';
import { tokenFor } from '../tests/support/deps';
import { WORKFLOWS_PATH } from '../worker/createWorker';
import { WORKER_PROCESS_ENV, workerProcessEnv } from '../worker/processEnv';
import { BASELINE_NOOP, BASELINE_READY } from './baseline';

/**
 * Worker settings shared by duban's and the baseline's worker in B1–B3: the production defaults
 * (common/config.ts) but for a cache of 2,000 workflows (500 deployed). B4 runs the worker with the defaults.
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

/** A process of the bench's own: its pid (for /proc), its last lines of output, and how to stop it. */
export interface Child {
  pid: number;
  /** Rejects with its last lines if the process ends. */
  exited: Promise<never>;
  running(): boolean;
  tail(): string;
  stop(): Promise<void>;
}

/** How long a child may take to print its ready line: tsx compiles on the fly, and a loaded machine is slow. */
const READY_WITHIN_S = 120;

/**
 * `node --import tsx <script>` as a process of its own (one process, so its pid is the
 * script's), ready once a line of its output matches `ready`. As deployed: the API and the
 * worker are separate processes, each with its own event loop (and so its own core).
 */
async function startChild(name: string, script: string, env: NodeJS.ProcessEnv, ready: RegExp, onLine?: (line: string) => void): Promise<Child> {
  let up: () => void = () => undefined;
  const readied = new Promise<void>((r) => (up = r));
  const p = spawnManaged({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(REPO_ROOT, script)],
    env,
    onLine: (line) => {
      if (ready.test(line)) up();
      onLine?.(line);
    },
  });
  let stopping = false;
  // Rejects only if the process ends before we stop it; marked handled, as no caller need listen.
  const exited = p.exited.then((code): Promise<never> => {
    if (stopping) return new Promise<never>(() => undefined);
    throw new Error(`${name} exited (${code}):\n${p.tail()}`);
  });
  exited.catch(() => undefined);
  // A child that neither gets ready nor exits (e.g. waiting for a server that never answers) must not hang the bench.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} not ready within ${READY_WITHIN_S} s:\n${p.tail()}`)), READY_WITHIN_S * 1000);
  });
  try {
    await Promise.race([readied, exited, late]);
  } catch (err) {
    stopping = true;
    await p.stop('SIGKILL', 5_000);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    pid: p.child.pid!,
    exited,
    running: () => p.child.exitCode === null && p.child.signalCode === null,
    tail: () => p.tail(),
    stop: async () => {
      stopping = true;
      await p.stop('SIGTERM', 15_000);
    },
  };
}

/** The environment of the bench's children: the stack's (database, Temporal, SMTP sink), without the shell's WORKER_ settings. */
function childEnv(add: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WORKER_') && !(k in WORKER_PROCESS_ENV)));
  // Not the default metrics ports: a running `npm start` holds them.
  return workerProcessEnv({ ...inherited, API_METRICS_ADDRESS: 'off', WORKER_METRICS_ADDRESS: 'off', ...add });
}

/**
 * duban's real worker (worker/main.ts) as deployed, loading the run's prebuilt bundle; `settings`
 * override the configuration's defaults (common/config.ts).
 */
export async function startWorkerProcess(settings: Record<string, string> = {}): Promise<Child & { config: Config }> {
  // Its "worker polling" line (info) is how we know it is ready, whatever level the bench's own stack logs at.
  const env = childEnv({ WORKFLOW_BUNDLE_PATH: await workflowBundle(), WORKER_SHUTDOWN_GRACE: '5s', LOG_LEVEL: 'info', ...settings });
  return { ...(await startChild('worker', 'worker/main.ts', env, /worker polling/)), config: loadConfig(env) };
}

/** The baseline's worker (bench/baselineWorker.ts), a process of its own like duban's; `onNoop` sees every activity it ran. */
export function startBaselineWorkerProcess(onNoop: () => void): Promise<Child> {
  const env = childEnv({ BASELINE_ACTIVITY_CONCURRENCY: String(WORKER_SETTINGS.WORKER_ACTIVITY_CONCURRENCY), BASELINE_MAX_CACHED_WORKFLOWS: String(WORKER_SETTINGS.WORKER_MAX_CACHED_WORKFLOWS) });
  return startChild('baseline worker', 'bench/baselineWorker.ts', env, new RegExp(BASELINE_READY), (line) => {
    if (line === BASELINE_NOOP) onNoop();
  });
}

export interface Api {
  base: string;
  /** Bearer token of the reform office's administrator (ro-director). */
  adminToken: string;
  tokenOf(officialId: string): Promise<string>;
  /** Rejects if the API process ends. */
  exited: Promise<never>;
  close(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

/** The real API (api/main.ts) as deployed, on a free loopback port. */
export async function startApiProcess(s: Services): Promise<Api> {
  const port = await freePort();
  // One bench caller stands for a whole city of officials: the flood limits (api/rateLimits.ts)
  // stay mounted, and are measured, but are set out of reach.
  const limit = String(1_000_000_000);
  const env = childEnv({ API_PORT: String(port), LOG_LEVEL: 'info', RATE_LIMIT_PER_ADDRESS: limit, RATE_LIMIT_PER_CALLER: limit, RATE_LIMIT_PER_WORKFLOW: limit });
  const api = await startChild('api', 'api/main.ts', env, /API listening/);
  return {
    base: `http://127.0.0.1:${port}/api`,
    adminToken: await tokenFor(s.db, 'ro-director'),
    tokenOf: (id) => tokenFor(s.db, id),
    exited: api.exited,
    close: () => api.stop(),
  };
}
