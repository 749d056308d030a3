/**
 * 第十九条（三） 站长责任制, on a real PostgreSQL of its own (the seeded
 * organisation, so that making a platform vacant touches no other test): each
 * platform's 站长 is listed, a vacancy shows, and a 站长 manages the API tokens
 * of their own unit's officials and of nobody else's.
 */
import request from 'supertest';
import { createApp } from '../../api/app';
import * as c from '../../api/schemas/console';
import { createDb, type Db } from '../../common/db';
import { seed } from '../../prisma/seed';
import { tokenFor } from '../support/deps';
import { startDevServerClient, type DevServerClient } from '../support/devServer';
import { isolatedDatabase, type IsolatedDatabase } from '../support/isolatedDatabase';

describe('站长 of each platform (第十九条（三）)', () => {
  let database: IsolatedDatabase;
  let db: Db;
  let harness: DevServerClient;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    database = await isolatedDatabase('sitemasters', { migrated: true });
    db = createDb(database.url, 2);
    await seed(db);
    harness = await startDevServerClient();
    app = createApp({ db, client: harness.client });
    for (const who of ['ro-director', 'ro-deputy', 'dept-health-leader', 'dept-health-liaison', 'district-boshan-deputy', 'district-boshan-director']) tokens[who] = await tokenFor(db, who);
  });
  afterAll(async () => {
    await harness?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it('the city and each district: the reform office’s full-time deputy director; a department: its leader in charge; a vacancy shows', async () => {
    const all = c.SiteMasters.parse((await request(app).get('/api/site-masters').set(as('dept-health-liaison'))).body).items;
    const of = (unitId: string) => all.find((i) => i.unitId === unitId);
    expect(of('reform-office')).toMatchObject({ role: 'DEPUTY_DIRECTOR', vacant: false, masters: [{ id: 'ro-deputy' }] });
    expect(of('district-boshan')).toMatchObject({ role: 'DEPUTY_DIRECTOR', vacant: false, masters: [{ id: 'district-boshan-deputy' }] });
    expect(of('dept-health')).toMatchObject({ role: 'LEADER_IN_CHARGE', vacant: false, masters: [{ id: 'dept-health-leader' }] });
    // Special groups, townships and the city leaders run no platform of their own.
    expect(new Set(all.map((i) => i.unitKind))).toEqual(new Set(['REFORM_OFFICE', 'DISTRICT', 'DEPARTMENT']));
    expect(all.filter((i) => i.unitKind === 'DISTRICT')).toHaveLength(11);
    expect(all.filter((i) => i.vacant)).toEqual([]);

    const bad = await request(app).get('/api/site-masters?vacant=maybe').set(as('dept-health-liaison'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(['vacant']);

    // The deputy director leaves: Boshan's platform has no 站长 until someone holds the role.
    await db.official.update({ where: { id: 'district-boshan-deputy' }, data: { active: false } });
    const vacant = c.SiteMasters.parse((await request(app).get('/api/site-masters?vacant=true').set(as('ro-director'))).body).items;
    expect(vacant.map((i) => i.unitId)).toEqual(['district-boshan']);
    await db.official.update({ where: { id: 'district-boshan-director' }, data: { roles: { push: 'DEPUTY_DIRECTOR' } } });
    const districts = c.SiteMasters.parse((await request(app).get('/api/site-masters?kind=DISTRICT').set(as('ro-director'))).body).items;
    expect(districts.find((i) => i.unitId === 'district-boshan')).toMatchObject({ vacant: false, masters: [{ id: 'district-boshan-director' }] });
  });

  it('the session names the platform its official is 站长 of', async () => {
    const me = async (who: string) => c.SessionView.parse((await request(app).get('/api/auth/session').set(as(who))).body).official.siteMasterOf;
    expect(await me('ro-deputy')).toBe('reform-office');
    expect(await me('dept-health-leader')).toBe('dept-health');
    expect(await me('dept-health-liaison')).toBeNull();
    expect(await me('ro-director')).toBeNull();
  });

  it('a 站长 issues, lists and revokes the tokens of their own unit’s officials, and of nobody else’s', async () => {
    const path = (id: string) => `/api/admin/officials/${id}/tokens`;
    // Not a 站长; another unit's official; one who does not exist (not told apart from another unit's).
    expect((await request(app).post(path('dept-health-drafter')).set(as('dept-health-liaison')).send({ label: '系统对接' })).status).toBe(403);
    expect((await request(app).post(path('dept-finance-liaison')).set(as('dept-health-leader')).send({ label: '系统对接' })).status).toBe(403);
    expect((await request(app).get(path('dept-finance-liaison')).set(as('dept-health-leader'))).status).toBe(403);
    expect((await request(app).post(path('nobody')).set(as('dept-health-leader')).send({ label: '系统对接' })).status).toBe(403);
    const empty = await request(app).post(path('dept-health-drafter')).set(as('dept-health-leader')).send({ label: '' });
    expect(empty.status).toBe(400);
    expect(await db.apiToken.count({ where: { officialId: 'dept-health-drafter' } })).toBe(0);

    const issued = await request(app).post(path('dept-health-drafter')).set(as('dept-health-leader')).send({ label: '部门系统对接' });
    expect(issued.status).toBe(201);
    const { id, token } = c.TokenIssued.parse(issued.body);
    expect((await request(app).get('/api/auth/session').set('Authorization', `Bearer ${token}`)).body.official.id).toBe('dept-health-drafter');
    expect(c.Tokens.parse((await request(app).get(path('dept-health-drafter')).set(as('dept-health-leader'))).body).items.map((t) => t.id)).toEqual([id]);

    // Another unit's 站长 may not revoke it; its own may, and an administrator may too.
    expect((await request(app).post(`/api/admin/tokens/${id}/revoke`).set(as('district-boshan-director'))).status).toBe(403);
    expect((await request(app).post('/api/admin/tokens/no-such-token/revoke').set(as('dept-health-leader'))).status).toBe(403);
    const revoked = await request(app).post(`/api/admin/tokens/${id}/revoke`).set(as('dept-health-leader'));
    expect(revoked.status).toBe(200);
    expect((await request(app).get('/api/auth/session').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    expect((await request(app).post(`/api/admin/tokens/${id}/revoke`).set(as('ro-director'))).body.revokedAt).toBe(revoked.body.revokedAt);
  });
});
