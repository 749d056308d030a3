/** State shared between globalSetup and globalTeardown (same process). */
import { Client } from 'pg';

export interface TestStack {
  /** Stop functions, in start order; teardown runs them in reverse. */
  stops: Array<() => Promise<void>>;
  /** The per-run test database, dropped at teardown. */
  databaseUrl: string | undefined;
}

export function takeTestStack(): TestStack | undefined {
  const g = globalThis as { __dubanTestStack?: TestStack };
  const s = g.__dubanTestStack;
  delete g.__dubanTestStack;
  return s;
}

/**
 * Drops test databases left by runs that crashed before their teardown:
 * those older than 6 hours (their name carries the creation time), so a run
 * going on in parallel keeps its own.
 */
export async function dropStaleTestDatabases(serverUrl: string, log: (m: string) => void): Promise<void> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'duban\\_test\\_%'");
    const cutoff = Date.now() - 6 * 3600_000;
    for (const { datname } of rows) {
      const ts = Number(datname.split('_')[2]);
      if (Number.isFinite(ts) && ts < cutoff) {
        log(`dropping stale test database ${datname}`);
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
      }
    }
  } finally {
    await client.end();
  }
}
