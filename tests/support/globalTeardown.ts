/**
 * Jest globalTeardown: drops the run's database, stops what globalSetup
 * started (in reverse order), and stops the shared test cluster if no other
 * run is using it.
 */
import { dropDatabase, stopPostgres } from '../../scripts/stack';
import { TEST_PG_DIR, countTestDatabases, dropStaleTestDatabases, takeTestStack, withClusterLock } from './stackState';

const log = (msg: string) => process.stderr.write(`[test-stack] ${msg}\n`);

export default async function globalTeardown(): Promise<void> {
  const state = takeTestStack();
  if (!state) return;
  for (const stop of [...state.stops].reverse()) {
    await stop().catch((err: unknown) => log(`stop failed: ${String(err)}`));
  }
  const dropOwn = async () => {
    for (const url of state.databaseUrls) {
      await dropDatabase(url).catch((err: unknown) => log(`could not drop ${url}: ${String(err)}`));
    }
  };
  const clusterUrl = state.ownClusterUrl;
  if (!clusterUrl) {
    await dropOwn();
    return;
  }
  await withClusterLock(async () => {
    await dropOwn();
    try {
      await dropStaleTestDatabases(clusterUrl, log, true);
      const others = await countTestDatabases(clusterUrl);
      if (others > 0) {
        log(`leaving the test cluster running for ${others} other run(s)`);
        return;
      }
    } catch {
      /* cluster already down */
    }
    await stopPostgres(TEST_PG_DIR, { log }).catch((err: unknown) => log(`pg_ctl stop failed: ${String(err)}`));
  });
}
