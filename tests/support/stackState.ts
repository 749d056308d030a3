/**
 * State shared between globalSetup and globalTeardown (same process), and the
 * bookkeeping that lets several jest runs share the project's test cluster
 * (.data/test-pg): each run has its own database named
 * duban_test_<time>_<pid>, and the last run to finish stops the cluster.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT } from '../../scripts/stack';

export const TEST_PG_DIR = path.join(REPO_ROOT, '.data/test-pg');

export interface TestStack {
  /** Stop functions, in start order; teardown runs them in reverse. */
  stops: Array<() => Promise<void>>;
  /** The run's test databases (one per jest worker under jest), dropped at teardown. */
  databaseUrls: string[];
  /** Set when the run uses the project's own cluster (TEST_PG_DIR) rather than DATABASE_URL's. */
  ownClusterUrl: string | undefined;
}

export function takeTestStack(): TestStack | undefined {
  const g = globalThis as { __dubanTestStack?: TestStack };
  const s = g.__dubanTestStack;
  delete g.__dubanTestStack;
  return s;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Serialises cluster start/stop between concurrent jest runs, so a run never
 * starts using the cluster while another one is stopping it. A lock left by a
 * dead process is taken over.
 */
export async function withClusterLock<T>(fn: () => Promise<T>): Promise<T> {
  const lockDir = `${TEST_PG_DIR}.lock`;
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        /* being written, or left empty by a crash */
      }
      const ageMs = Date.now() - fs.statSync(lockDir, { throwIfNoEntry: false })!.mtimeMs;
      if ((Number.isInteger(holder) && !alive(holder)) || (!Number.isInteger(holder) && ageMs > 10_000)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir} (held by pid ${holder})`, { cause: err });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

async function adminClient(serverUrl: string): Promise<Client> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  return client;
}

/** pid and creation time encoded in a test database's name. */
const parseName = (datname: string) => {
  const [, , ts, pid] = datname.split('_');
  return { ts: Number(ts), pid: Number(pid) };
};

/**
 * Drops test databases left by runs that died before their teardown. On our
 * own cluster a run is gone when its pid is; on a shared server (DATABASE_URL)
 * other machines may be running, so only databases older than 6 hours go.
 */
export async function dropStaleTestDatabases(serverUrl: string, log: (m: string) => void, ownCluster = false): Promise<void> {
  const client = await adminClient(serverUrl);
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'duban\\_test\\_%'");
    const cutoff = Date.now() - 6 * 3600_000;
    for (const { datname } of rows) {
      const { ts, pid } = parseName(datname);
      const stale = ownCluster ? Number.isInteger(pid) && pid !== process.pid && !alive(pid) : Number.isFinite(ts) && ts < cutoff;
      if (stale) {
        log(`dropping stale test database ${datname}`);
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
      }
    }
  } finally {
    await client.end();
  }
}

/** Test databases still on the cluster (i.e. runs still using it). */
export async function countTestDatabases(serverUrl: string): Promise<number> {
  const client = await adminClient(serverUrl);
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_database WHERE datname LIKE 'duban\\_test\\_%'");
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
