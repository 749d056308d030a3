/**
 * Bearer tokens (issue 15, items 6 and 8), against the real PostgreSQL and
 * Temporal dev server: the ingest role registers documents and nothing else;
 * expired, revoked and unknown tokens are refused with their reason; the
 * command line issues tokens with an expiry, lists and revokes them, and finds
 * npm start's database without DATABASE_URL; the seed keeps a revoked bootstrap
 * token revoked; npm start prints no credentials. The seed and the command line
 * run on a database of their own: the seed rotates bootstrap tokens.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../api/app';
import { callerForToken } from '../../api/auth';
import { loadConfig } from '../../common/config';
import { createDb, type Db } from '../../common/db';
import { hashToken, newToken } from '../../common/tokens';
import { seed } from '../../prisma/seed';
import { localDataDir, startSummary, writeLocalEnv } from '../../scripts/localEnv';
import { tokenFor, uniqueDocNumber } from '../support/deps';
import { startDevServerClient, type DevServerClient } from '../support/devServer';
import { isolatedDatabase, type IsolatedDatabase } from '../support/isolatedDatabase';

const ROOT = path.join(__dirname, '../..');
const DAY_MS = 24 * 3600_000;

/** Runs a command-line tool of scripts/ (or prisma/) as `npm run` would, with exactly `env`. */
async function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, file), ...args], { env, cwd: ROOT });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (b: Buffer) => (out.stdout += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (out.stderr += b.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, ...out };
}

/** "accepted", or the refusal of a token. */
async function judged(db: Db, token: string): Promise<string> {
  try {
    return (await callerForToken(db, token)) ? 'accepted' : 'refused';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('tokens on the shared database', () => {
  let harness: DevServerClient;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    harness = await startDevServerClient();
    app = createApp({ db: harness.deps.db, client: harness.client });
  });
  afterAll(() => harness?.close());

  it('an ingest token registers documents and is refused everywhere else', async () => {
    const ingest = await tokenFor(harness.deps.db, 'ro-exchange');
    const auth = { Authorization: `Bearer ${ingest}` };
    const arrival = { level: 'PROVINCIAL', title: '关于推进公文交换接口改革的意见', docNumber: uniqueDocNumber('鲁改'), issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds: [] };
    const first = await request(app).post('/api/documents').set(auth).send(arrival);
    expect(first.status).toBe(201);
    const again = await request(app).post('/api/documents').set(auth).send(arrival);
    expect(again.status).toBe(200);

    const others: Array<[string, string, object?]> = [
      ['get', `/api/documents/${first.body.document.id}`],
      ['get', '/api/admin/audit'],
      ['post', '/api/policies', {}],
      ['get', '/api/inbox'],
      ['get', '/api/cycles'],
      ['get', '/api/admin/officials/ro-exchange/tokens'],
      ['post', '/api/admin/officials/ro-exchange/tokens', { label: '再签一个' }],
      ['get', '/api/auth/session'],
    ];
    const statuses: Record<string, number> = {};
    for (const [method, url, body] of others) {
      const res = await (method === 'get' ? request(app).get(url) : request(app).post(url).send(body)).set(auth);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
    }
    expect(await harness.deps.db.apiToken.count({ where: { officialId: 'ro-exchange', label: '再签一个' } })).toBe(0);
    process.stdout.write(`[tokens] ingest token: POST /documents ${first.status} then ${again.status}; ${others.length} other requests ${JSON.stringify(statuses)}\n`);
  });

  it('expired, revoked and unknown tokens answer 401, each with its reason in Chinese', async () => {
    const db = harness.deps.db;
    const expired = await tokenFor(db, 'dept-health-liaison');
    await db.apiToken.update({ where: { tokenHash: hashToken(expired) }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const revoked = await tokenFor(db, 'dept-health-liaison');
    await db.apiToken.update({ where: { tokenHash: hashToken(revoked) }, data: { revokedAt: new Date() } });
    const valid = await tokenFor(db, 'dept-health-liaison');

    const answer = async (token: string) => {
      const res = await request(app).get('/api/inbox').set('Authorization', `Bearer ${token}`);
      return `${res.status} ${res.body.error?.message ?? ''}`.trim();
    };
    const got = { expired: await answer(expired), revoked: await answer(revoked), unknown: await answer(newToken()), valid: await answer(valid) };
    process.stdout.write(`[tokens] ${Object.entries(got).map(([k, v]) => `${k} → ${v}`).join('; ')}\n`);
    expect(got.expired).toMatch(/^401 访问令牌已于 .* 过期/);
    expect(got.revoked).toMatch(/^401 .*已吊销/);
    expect(got.unknown).toMatch(/^401 .*无效/);
    expect(got.valid).toBe('200');
  });

  it('the bootstrap administrator token needs at least 32 characters', () => {
    const env = (token: string) => ({ DATABASE_URL: 'postgresql://x@127.0.0.1:5432/x', DUBAN_ADMIN_TOKEN: token });
    expect(() => loadConfig(env('a'.repeat(31)))).toThrow(/DUBAN_ADMIN_TOKEN/);
    expect(loadConfig(env('a'.repeat(32))).DUBAN_ADMIN_TOKEN).toHaveLength(32);
    expect(newToken().length).toBeGreaterThanOrEqual(32);
    process.stdout.write('[tokens] DUBAN_ADMIN_TOKEN of 31 characters refused, 32 accepted\n');
  });

  it('npm start prints no credentials: not the database URL, not the admin token', () => {
    const env = {
      API_PUBLIC_URL: 'http://127.0.0.1:3000',
      DATABASE_URL: 'postgresql://duban:pg-password-secret@db.internal:5432/duban',
      DUBAN_ADMIN_TOKEN: 'dbn_admin-token-secret-admin-token-secret',
      DUBAN_PAYLOAD_KEYS: 'dev1:payload-key-secret',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      SMTP_URL: 'smtp://mailer:smtp-password-secret@relay.example:587',
    };
    const config = loadConfig({ ...env, API_METRICS_ADDRESS: 'off', WORKER_METRICS_ADDRESS: 'off' });
    const text = startSummary({ env, config, apiUrl: 'http://127.0.0.1:3000', mailUi: undefined, dataDir: '/srv/duban/.data', adminTokenFile: '/srv/duban/.data/admin-token' }).join('\n');
    const leaked = ['pg-password-secret', 'admin-token-secret', 'payload-key-secret', 'smtp-password-secret'].filter((s) => text.includes(s));
    process.stdout.write(`[tokens] npm start summary: ${leaked.length} credentials printed${leaked.length ? ` (${leaked.join(', ')})` : ''}\n`);
    expect(leaked).toEqual([]);
    expect(text).toContain('/srv/duban/.data/admin-token'); // where to find the token instead
  });
});

describe('the seed and npm run token on a database of their own', () => {
  let database: IsolatedDatabase;
  let db: Db;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await isolatedDatabase('tokens', { migrated: true });
    db = createDb(database.url, 2);
    await seed(db);
    env = { ...process.env, DATABASE_URL: database.url };
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  const tokenRow = (token: string) => db.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });

  it('npm run token: a default lifetime, --days, --list, --revoke by id prefix (an ambiguous prefix refused)', async () => {
    const byDefault = await run('scripts/issue-token.ts', ['dept-health-liaison'], env);
    expect(byDefault.code).toBe(0);
    const week = await run('scripts/issue-token.ts', ['dept-health-liaison', '--days', '7'], env);
    expect(week.code).toBe(0);
    const [t90, t7] = [byDefault.stdout.trim(), week.stdout.trim()];
    const [r90, r7] = [await tokenRow(t90), await tokenRow(t7)];
    const days = (r: { createdAt: Date; expiresAt: Date }) => (r.expiresAt.getTime() - r.createdAt.getTime()) / DAY_MS;
    expect([days(r90), days(r7)]).toEqual([90, 7]);

    const list = await run('scripts/issue-token.ts', ['--list', 'dept-health-liaison'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(r7.id);
    expect(list.stdout).toContain(r90.id);

    const ambiguous = await run('scripts/issue-token.ts', ['--revoke', r7.id.slice(0, 1)], env);
    expect(ambiguous.code).toBe(1);
    expect((await tokenRow(t7)).revokedAt).toBeNull();

    const prefix = r7.id.slice(0, r7.id.length - 4);
    const revoked = await run('scripts/issue-token.ts', ['--revoke', prefix], env);
    expect(revoked.code).toBe(0);
    expect(await judged(db, t7)).toMatch(/已吊销/);
    expect(await judged(db, t90)).toBe('accepted');
    process.stdout.write(
      `[tokens] npm run token: default ${days(r90)} days, --days 7 → ${days(r7)} days; --revoke "${prefix.slice(0, 1)}" → exit ${ambiguous.code} (${ambiguous.stderr.trim()}); --revoke <prefix> → exit ${revoked.code}, the token refused\n`,
    );
  });

  it('npm run token beside npm start: no DATABASE_URL, the database npm start published', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-data-'));
    try {
      const { DATABASE_URL: _, ...withoutUrl } = process.env;
      const besideStart = { ...withoutUrl, DUBAN_DATA_DIR: dataDir };
      const notRunning = await run('scripts/issue-token.ts', ['dept-health-liaison'], besideStart);
      expect(notRunning.code).toBe(1);
      expect(notRunning.stderr).toContain('npm start');

      writeLocalEnv(localDataDir(besideStart), { DATABASE_URL: database.url }); // what npm start writes while it runs
      const issued = await run('scripts/issue-token.ts', ['dept-health-liaison'], besideStart);
      process.stdout.write(`[tokens] npm run token without DATABASE_URL: npm start not running → exit ${notRunning.code} (${notRunning.stderr.trim().split('\n')[0]}); beside npm start → exit ${issued.code}\n`);
      expect(issued.code).toBe(0);
      expect(await judged(db, issued.stdout.trim())).toBe('accepted');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the seed keeps a revoked or expired bootstrap token so, says how to get a new one, and a new value rotates', async () => {
    const boot = newToken();
    await seed(db, boot);
    expect(await judged(db, boot)).toBe('accepted');
    await db.apiToken.update({ where: { tokenHash: hashToken(boot) }, data: { revokedAt: new Date() } });

    // What npm start runs on every start.
    const restart = await run('prisma/seed.ts', [], { ...process.env, DATABASE_URL: database.url, DUBAN_ADMIN_TOKEN: boot });
    expect(restart.code).toBe(0);
    expect(await judged(db, boot)).toMatch(/已吊销/);
    expect(restart.stdout + restart.stderr).toMatch(/revoked.*npm run token/s);

    const expiring = newToken();
    await seed(db, expiring);
    expect(await judged(db, expiring)).toBe('accepted');
    expect(await judged(db, boot)).toMatch(/已吊销/);
    await db.apiToken.update({ where: { tokenHash: hashToken(expiring) }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    await seed(db, expiring);
    expect(await judged(db, expiring)).toMatch(/过期/);
    process.stdout.write(`[tokens] seed after revocation: bootstrap token ${await judged(db, boot)}; after expiry: ${await judged(db, expiring)}; start output: ${restart.stdout.trim().split('\n').filter((l) => /revoked/.test(l)).join(' ')}\n`);
  });
});
