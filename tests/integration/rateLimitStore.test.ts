/**
 * Flood limits shared between API replicas (api/rateLimitStore.ts): two apps
 * with the same scope are two API processes of one deployment — their hits
 * add up to one limit, counted in PostgreSQL; apps of different scopes count
 * apart. (tests/slow/cluster.test.ts proves the same with two real API processes.)
 */
import request from 'supertest';
import { createApp } from '../../api/app';
import { PostgresRateLimitStore } from '../../api/rateLimitStore';
import { tokenFor } from '../support/deps';
import { startDevServerClient, type DevServerClient } from '../support/devServer';

describe('rate limits shared between API replicas', () => {
  let harness: DevServerClient;
  beforeAll(async () => {
    harness = await startDevServerClient();
  });
  afterAll(() => harness?.close());

  const burst = async (apps: ReturnType<typeof createApp>[], token: string, n: number) => {
    const statuses = await Promise.all(Array.from({ length: n }, (_x, i) => request(apps[i % apps.length]).get('/api/inbox').set('Authorization', `Bearer ${token}`).then((r) => r.status)));
    return statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});
  };

  it('two replicas of one scope refuse the excess of one limit; another scope counts apart', async () => {
    const limits = { windowMs: 60_000, perCaller: 30, perWorkflow: 30 };
    const scope = `replicas-${Date.now()}`;
    const replicas = [createApp({ db: harness.deps.db, client: harness.client, rateLimits: { ...limits, scope } }), createApp({ db: harness.deps.db, client: harness.client, rateLimits: { ...limits, scope } })];
    const token = await tokenFor(harness.deps.db, 'dept-finance-liaison');
    const shared = await burst(replicas, token, 80);
    // Two apps without a common scope: each counts its own (what an in-memory store did for replicas).
    const apart = [createApp({ db: harness.deps.db, client: harness.client, rateLimits: limits }), createApp({ db: harness.deps.db, client: harness.client, rateLimits: limits })];
    const separate = await burst(apart, token, 80);
    process.stdout.write(`[rate-limit-store] 80 requests by one official over 2 replicas, limit ${limits.perCaller}: shared scope ${JSON.stringify(shared)}, separate counters ${JSON.stringify(separate)}\n`);
    expect(shared).toEqual({ 200: 30, 429: 50 });
    expect(separate).toEqual({ 200: 60, 429: 20 });
  });

  it('a window ends on the database clock and counting starts again', async () => {
    const store = new PostgresRateLimitStore(harness.deps.db, `window-${Date.now()}:`);
    store.init({ windowMs: 1000 } as never);
    try {
      const first = await store.increment('k');
      expect((await store.increment('k')).totalHits).toBe(2);
      await store.decrement('k');
      expect((await store.get('k'))?.totalHits).toBe(1);
      while (Date.now() <= first.resetTime!.getTime() + 50) await new Promise((r) => setTimeout(r, 100));
      expect(await store.get('k')).toBeUndefined();
      const next = await store.increment('k');
      expect(next.totalHits).toBe(1);
      expect(next.resetTime!.getTime()).toBeGreaterThan(first.resetTime!.getTime());
      await store.resetKey('k');
      expect(await store.get('k')).toBeUndefined();
    } finally {
      store.shutdown();
    }
  });
});
