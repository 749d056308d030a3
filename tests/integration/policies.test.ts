/**
 * Policies are versioned data (第二十一条): a district adopts its own version;
 * versions are validated and never overwritten. (A district scope is used so
 * that test files running in parallel keep the city's defaults.)
 */
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { defaultPolicy } from '../../common/policy';
import { testDeps, tokenFor, type TestDeps } from '../support/deps';

describe('policies API', () => {
  let deps: TestDeps;
  let connection: Connection;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let official: string;

  beforeAll(async () => {
    deps = testDeps();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    app = createApp({ db: deps.db, client: new Client({ connection }) });
    admin = await tokenFor(deps.db, 'ro-director');
    official = await tokenFor(deps.db, 'district-zhangdian-director');
  });

  afterAll(async () => {
    await connection?.close();
    await deps?.close();
  });

  it('a district adopts its own version; duplicates, bad values and non-admins are refused', async () => {
    const scope = 'district-zhangdian';
    const version = `zhangdian-${Date.now()}`;
    const policy = { ...defaultPolicy, scope, version, document: { ...defaultPolicy.document, chaseAfter: { weeks: 2 } } };
    const created = await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send(policy);
    expect(created.status).toBe(201);
    const active = await request(app).get(`/api/policies?scope=${scope}`).set('Authorization', `Bearer ${official}`);
    expect(active.body.active.version).toBe(version);
    expect(active.body.active.document.chaseAfter).toEqual({ weeks: 2 });
    expect((await request(app).get('/api/policies').set('Authorization', `Bearer ${official}`)).body.active.document.chaseAfter).toEqual({ weeks: 3 });

    expect((await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send(policy)).status).toBe(409);
    const late = { ...policy, version: `${version}-b`, document: { ...policy.document, chaseAfter: { months: 2 } } };
    const bad = await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send(late);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('chaseAfter');
    expect((await request(app).post('/api/policies').set('Authorization', `Bearer ${official}`).send({ ...policy, version: `${version}-c` })).status).toBe(403);
    expect((await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send({ ...policy, scope: 'nowhere', version: `${version}-d` })).status).toBe(400);
  });

  it('lists versions a page at a time, newest first (limit and cursor)', async () => {
    const scope = 'district-zhangdian';
    const stamp = Date.now();
    for (const n of [1, 2, 3]) {
      const res = await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send({ ...defaultPolicy, scope, version: `paged-${stamp}-${n}` });
      expect(res.status).toBe(201);
    }
    const get = (q: string) => request(app).get(`/api/policies?scope=${scope}&${q}`).set('Authorization', `Bearer ${official}`);
    const first = await get('limit=2');
    expect(first.status).toBe(200);
    expect(first.body.versions.map((v: { version: string }) => v.version)).toEqual([`paged-${stamp}-3`, `paged-${stamp}-2`]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.versions[0].version).toBe(`paged-${stamp}-1`);
    const all = await get('');
    console.log(`[pagination] policy versions: page of 2 (next cursor given), then ${second.body.versions.length}; default page ${all.body.versions.length} of at most 50`);
    expect(all.body.versions.length).toBeLessThanOrEqual(50);
    expect((await get('limit=201')).status).toBe(400);
  });
});

