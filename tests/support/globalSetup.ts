/**
 * Jest globalSetup: starts the real services the tests talk to — a PostgreSQL
 * cluster (fresh database per run, migrated), an in-memory Temporal dev server
 * with duban's search attributes, and an SMTP sink — all on free loopback
 * ports, and exports their addresses through process.env, which the test
 * workers inherit. Handles are kept on globalThis for globalTeardown.
 */
import path from 'node:path';
import {
  REPO_ROOT,
  createDatabase,
  freePort,
  loadSearchAttributes,
  startPostgres,
  startSmtpSink,
  startTemporalDev,
  toolPath,
  waitForTemporal,
} from '../../scripts/stack';
import globalTeardown from './globalTeardown';
import { dropStaleTestDatabases, type TestStack } from './stackState';
import { createFromTemplate, ensureMigratedTemplate, hasMigrations, migrateDeploy } from './testDatabase';

const setupStart = Date.now();
const log = (msg: string) => process.stderr.write(`[test-stack +${((Date.now() - setupStart) / 1000).toFixed(1)}s] ${msg}\n`);

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  const stops: Array<() => Promise<void>> = [];
  const state: TestStack = { stops, databaseUrl: undefined };
  (globalThis as { __dubanTestStack?: TestStack }).__dubanTestStack = state;
  log('starting services...');

  try {
    // --- tools (fetched/built once into the cache outside the repo)
    process.env.TEMPORAL_TEST_SERVER_PATH ||= toolPath('test-server');

    // --- PostgreSQL: an existing server (DATABASE_URL) or the project's test cluster
    const dbName = `duban_test_${Date.now()}_${process.pid}`;
    let serverUrl: string;
    const ownCluster = !process.env.DATABASE_URL;
    if (!ownCluster && process.env.DATABASE_URL) {
      serverUrl = process.env.DATABASE_URL;
      log(`using the PostgreSQL server of DATABASE_URL for database ${dbName}`);
    } else {
      const pg = await startPostgres({ dataDir: path.join(REPO_ROOT, '.data/test-pg'), port: await freePort(), database: 'postgres', log });
      stops.push(() => pg.stop());
      serverUrl = pg.url;
    }
    await dropStaleTestDatabases(serverUrl, log);
    const dbUrl = new URL(serverUrl);
    dbUrl.pathname = `/${dbName}`;

    // --- schema: a copy of the migrated template on our own cluster, else migrate in place
    if (hasMigrations()) {
      if (ownCluster) {
        const template = await ensureMigratedTemplate(serverUrl, log);
        await createFromTemplate(dbUrl.toString(), template);
        state.databaseUrl = dbUrl.toString();
      } else {
        await createDatabase(dbUrl.toString(), dbName);
        state.databaseUrl = dbUrl.toString();
        migrateDeploy(dbUrl.toString());
      }
      // Seed the organisation once per run, before test files run in parallel.
      const { createDb } = await import('../../common/db');
      const { seed } = await import('../../prisma/seed');
      const db = createDb(dbUrl.toString(), 2);
      await seed(db).finally(() => db.$disconnect());
    } else {
      await createDatabase(dbUrl.toString(), dbName);
      state.databaseUrl = dbUrl.toString();
      log('WARNING: prisma.config.ts or prisma/migrations missing; the test database has no schema');
    }
    process.env.DATABASE_URL = dbUrl.toString();
    log(`database ${dbName} ready`);

    // --- Temporal
    process.env.TEMPORAL_NAMESPACE ||= 'default';
    if (process.env.TEMPORAL_ADDRESS) {
      log(`using the Temporal server at TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS}`);
      await waitForTemporal(process.env.TEMPORAL_ADDRESS, process.env.TEMPORAL_NAMESPACE, 30_000);
    } else {
      const temporal = await startTemporalDev({
        port: await freePort(),
        namespace: process.env.TEMPORAL_NAMESPACE,
        searchAttributes: loadSearchAttributes(log),
        log,
      });
      stops.push(() => temporal.stop());
      process.env.TEMPORAL_ADDRESS = temporal.address;
    }

    // --- SMTP sink (always ours: the tests read it back through its HTTP API)
    const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
    stops.push(() => sink.stop());
    process.env.SMTP_URL = sink.smtpUrl;
    process.env.MAIL_API_URL = sink.httpUrl;

    log(
      `ready in ${((Date.now() - t0) / 1000).toFixed(1)}s: DATABASE_URL=${process.env.DATABASE_URL} TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS} ` +
        `SMTP_URL=${process.env.SMTP_URL} MAIL_API_URL=${process.env.MAIL_API_URL}`,
    );
  } catch (err) {
    // Jest does not run globalTeardown when globalSetup throws: clean up here.
    await globalTeardown().catch(() => {});
    throw err;
  }
}
