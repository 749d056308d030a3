/**
 * A database of its own beside the run's database, for tests that would
 * disturb the seeded organisation the other test files share (the
 * organisation import deactivates whoever its file leaves out) or that need
 * an empty one (Temporal's persistence). Named after the run's database, so a
 * run that dies leaves nothing behind for long: dropStaleTestDatabases
 * recognises the name.
 */
import { Client } from 'pg';
import { createDatabase, dropDatabase } from '../../scripts/stack';
import { withClusterLock } from './stackState';
import { createFromTemplate, ensureMigratedTemplate, hasMigrations, migrateDeploy } from './testDatabase';

export interface IsolatedDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** `migrated`: with duban's schema (and no seed); otherwise empty. */
export async function isolatedDatabase(suffix: string, { migrated }: { migrated: boolean }): Promise<IsolatedDatabase> {
  const runUrl = process.env.DATABASE_URL;
  if (!runUrl) throw new Error('DATABASE_URL is set by jest globalSetup');
  const u = new URL(runUrl);
  const name = `${decodeURIComponent(u.pathname.slice(1))}_${suffix}`;
  u.pathname = `/${name}`;
  const url = u.toString();
  await dropDatabase(url);
  if (!migrated || !hasMigrations()) await createDatabase(url, name);
  else if (await hasTemplates(runUrl)) {
    // The project's test cluster (globalSetup keeps a migrated template there): a copy, well under a second.
    const template = await withClusterLock(() => ensureMigratedTemplate(runUrl, () => {}));
    await createFromTemplate(url, template);
  } else {
    await createDatabase(url, name);
    migrateDeploy(url);
  }
  return { url, name, drop: () => dropDatabase(url) };
}

async function hasTemplates(serverUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return ((await client.query("SELECT 1 FROM pg_database WHERE datname LIKE 'duban\\_tpl\\_%'")).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}
