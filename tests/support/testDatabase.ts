/**
 * Test databases: each jest run gets a fresh database. `prisma migrate deploy`
 * costs ~10 s (WebAssembly schema engine), so on the project's own test
 * cluster the migrations are applied once into a template database named
 * after a hash of prisma/migrations, and every run copies it (CREATE DATABASE
 * ... TEMPLATE, well under a second). New migrations mean a new template.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT, createDatabase, dropDatabase } from '../../scripts/stack';

const MIGRATIONS = path.join(REPO_ROOT, 'prisma/migrations');

export function hasMigrations(): boolean {
  return fs.existsSync(MIGRATIONS) && fs.existsSync(path.join(REPO_ROOT, 'prisma.config.ts'));
}

/** Hash of every file under prisma/migrations (names and contents). */
function migrationsHash(): string {
  const h = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else {
        h.update(path.relative(MIGRATIONS, full));
        h.update(fs.readFileSync(full));
      }
    }
  };
  walk(MIGRATIONS);
  return h.digest('hex').slice(0, 16);
}

/** Runs `prisma migrate deploy` against `url`. */
export function migrateDeploy(url: string): void {
  try {
    execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/prisma'), ['migrate', 'deploy'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`prisma migrate deploy failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
  }
}

const withUrlDb = (serverUrl: string, db: string) => {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
};

async function adminQuery<T extends object>(serverUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: withUrlDb(serverUrl, 'postgres') });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Name of a database holding the current migrations, creating it if needed.
 * Built under a temporary name and renamed when complete, so a run going on
 * in parallel never copies a half-migrated template.
 */
export async function ensureMigratedTemplate(serverUrl: string, log: (m: string) => void): Promise<string> {
  const name = `duban_tpl_${migrationsHash()}`;
  const existing = await adminQuery<{ datname: string }>(serverUrl, "SELECT datname FROM pg_database WHERE datname LIKE 'duban\\_tpl\\_%'");
  // Templates of older migrations are of no further use (and we hold the
  // cluster lock, so a "_building_" one is left by a dead run).
  for (const { datname } of existing) {
    if (datname !== name) {
      await dropDatabase(withUrlDb(serverUrl, datname)).catch(() => {});
    }
  }
  if (existing.some((r) => r.datname === name)) return name;

  const building = `${name}_building_${process.pid}`;
  log(`migrating a new template database ${name} (once per change of prisma/migrations)`);
  await createDatabase(withUrlDb(serverUrl, building), building);
  try {
    migrateDeploy(withUrlDb(serverUrl, building));
    await adminQuery(serverUrl, `ALTER DATABASE "${building}" RENAME TO "${name}"`);
  } catch (err) {
    await dropDatabase(withUrlDb(serverUrl, building)).catch(() => {});
    // Another run may have renamed its copy first: then use that one.
    const again = await adminQuery<{ datname: string }>(serverUrl, 'SELECT datname FROM pg_database WHERE datname = $1', [name]);
    if (again.length === 0) throw err;
  }
  return name;
}

/** Creates database `url` as a copy of `template`. */
export async function createFromTemplate(url: string, template: string): Promise<void> {
  const u = new URL(url);
  const db = decodeURIComponent(u.pathname.slice(1));
  await adminQuery(url, `CREATE DATABASE "${db}" TEMPLATE "${template}"`);
}
