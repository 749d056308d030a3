/**
 * Jest globalSetup: starts the real services the tests talk to — a PostgreSQL
 * cluster (fresh database per run, migrated and seeded), an in-memory Temporal dev server
 * with duban's search attributes, and an SMTP sink — all on free loopback
 * ports, and exports their addresses through process.env, which the test
 * workers inherit. Handles are kept on globalThis for globalTeardown.
 */
import {
  createDatabase,
  freePort,
  loadSearchAttributes,
  startPostgres,
  startSmtpSink,
  startTemporalDev,
  toolPath,
  waitForTemporal,
} from '../../scripts/stack';
import { createDb } from '../../common/db';
import { seed } from '../../prisma/seed';
import globalTeardown from './globalTeardown';
import { TEST_PG_DIR, dropStaleTestDatabases, withClusterLock, type TestStack } from './stackState';
import { createFromTemplate, ensureMigratedTemplate, hasMigrations, migrateDeploy } from './testDatabase';

const setupStart = Date.now();
const log = (msg: string) => process.stderr.write(`[test-stack +${((Date.now() - setupStart) / 1000).toFixed(1)}s] ${msg}\n`);

/** `jestConfig` is jest's global config; the benchmarks and the history recorder call this without it (one namespace). */
export default async function globalSetup(jestConfig?: { maxWorkers: number }): Promise<void> {
  const t0 = Date.now();
  const stops: Array<() => Promise<void>> = [];
  const state: TestStack = { stops, databaseUrls: [], ownClusterUrl: undefined };
  (globalThis as { __dubanTestStack?: TestStack }).__dubanTestStack = state;
  log('starting services...');
  // Quieter logs; and no metrics listeners on fixed ports in the worker and API
  // processes tests start (several at once): a test that scrapes one gives it a free port.
  process.env.LOG_LEVEL ||= 'warn';
  process.env.API_METRICS_ADDRESS ||= 'off';
  process.env.WORKER_METRICS_ADDRESS ||= 'off';

  try {
    // --- tools (fetched/built once into the cache outside the repo)
    process.env.TEMPORAL_TEST_SERVER_PATH ||= toolPath('test-server');

    // --- PostgreSQL: an existing server (DATABASE_URL) or the project's test
    // cluster, shared by concurrent runs (each with its own database).
    const dbName = `duban_test_${Date.now()}_${process.pid}`;
    // Under jest, one database per jest worker, beside its namespace (tests/support/jestWorker.ts).
    const names = jestConfig ? Array.from({ length: Math.max(1, jestConfig.maxWorkers) }, (_, i) => `${dbName}_w${i + 1}`) : [dbName];
    const ownCluster = !process.env.DATABASE_URL;
    const prepareDatabases = async (serverUrl: string) => {
      await dropStaleTestDatabases(serverUrl, log, ownCluster);
      const template = ownCluster && hasMigrations() ? await ensureMigratedTemplate(serverUrl, log) : undefined;
      const urls: string[] = [];
      for (const name of names) {
        const dbUrl = new URL(serverUrl);
        dbUrl.pathname = `/${name}`;
        const url = dbUrl.toString();
        if (!hasMigrations()) {
          await createDatabase(url, name);
          log('WARNING: prisma.config.ts or prisma/migrations missing; the test database has no schema');
        } else if (template) {
          // A copy of the template migrated once per migrations hash.
          await createFromTemplate(url, template);
        } else {
          await createDatabase(url, name);
          migrateDeploy(url);
        }
        state.databaseUrls.push(url);
        urls.push(url);
      }
      return urls;
    };
    let dbUrls: string[];
    if (ownCluster) {
      dbUrls = await withClusterLock(async () => {
        const pg = await startPostgres({ dataDir: TEST_PG_DIR, port: await freePort(), database: 'postgres', log });
        state.ownClusterUrl = pg.url;
        return prepareDatabases(pg.url);
      });
    } else {
      log(`using the PostgreSQL server of DATABASE_URL for ${names.join(', ')}`);
      dbUrls = await prepareDatabases(process.env.DATABASE_URL as string);
    }
    if (hasMigrations()) {
      // Seed the organisation once per database, before test files run in parallel.
      for (const url of dbUrls) {
        const db = createDb(url, 2);
        await seed(db).finally(() => db.$disconnect());
      }
    }
    process.env.DATABASE_URL = dbUrls[0];
    if (jestConfig) process.env.DUBAN_TEST_WORKER_DATABASES = JSON.stringify(dbUrls);
    log(`database${names.length > 1 ? 's' : ''} ${names.join(', ')} ready`);

    // --- Temporal
    process.env.TEMPORAL_NAMESPACE ||= 'default';
    if (process.env.TEMPORAL_ADDRESS) {
      log(`using the Temporal server at TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS}`);
      await waitForTemporal(process.env.TEMPORAL_ADDRESS, process.env.TEMPORAL_NAMESPACE, 30_000);
    } else {
      // Under jest, one namespace more per jest worker (tests/support/jestWorker.ts), named by JEST_WORKER_ID.
      const prefix = 'jest-worker-';
      const temporal = await startTemporalDev({
        port: await freePort(),
        namespace: process.env.TEMPORAL_NAMESPACE,
        moreNamespaces: jestConfig ? Array.from({ length: Math.max(1, jestConfig.maxWorkers) }, (_, i) => `${prefix}${i + 1}`) : [],
        searchAttributes: loadSearchAttributes(log),
        log,
      });
      if (jestConfig) process.env.DUBAN_TEST_NAMESPACE_PREFIX = prefix;
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
