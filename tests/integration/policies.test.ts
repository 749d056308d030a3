/**
 * Policies are versioned data (第二十一条): a district or a department adopts
 * its own version; versions are validated and never overwritten; a workflow
 * started through the API receives every unit's own version and runs the
 * duties of that unit under it. (District and department scopes no other test
 * file uses keep the city's defaults for the files running in parallel; the one
 * city version published here, for its calendar, is removed at once.)
 */
import type { Client } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { defaultPolicy } from '../../common/policy';
import { deadlineAfter, deadlineOn, shanghaiDate, type CalendarPolicy } from '../../common/policy/calendar';
import { resolvePolicies } from '../../common/policy/resolve';
import { stateQuery, type DocumentWorkflowInput } from '../../workflows/document/messages';
import { tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { eventually } from '../support/eventually';
import { expectRecordsMatch } from '../support/records';

describe('policies API', () => {
  let harness: DevServerHarness;
  let deps: TestDeps;
  let client: Client;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let official: string;

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    app = createApp({ db: deps.db, client });
    admin = await tokenFor(deps.db, 'ro-director');
    official = await tokenFor(deps.db, 'district-zhangdian-director');
  });

  // The workflow is the source of truth: every test ends with its record equal to it.
  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    await harness?.close();
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

    // The same version again: the same body is a retried request (answered as before), another body is refused.
    const retried = await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send(policy);
    expect([retried.status, retried.body.id]).toEqual([200, created.body.id]);
    const changed = { ...policy, document: { ...policy.document, chaseAfter: { weeks: 1 } } };
    expect((await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send(changed)).status).toBe(409);
    const late = { ...policy, version: `${version}-b`, document: { ...policy.document, chaseAfter: { months: 2 } } };
    const bad = await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send(late);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('chaseAfter');
    expect((await request(app).post('/api/policies').set('Authorization', `Bearer ${official}`).send({ ...policy, version: `${version}-c` })).status).toBe(403);
    expect((await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send({ ...policy, scope: 'nowhere', version: `${version}-d` })).status).toBe(400);
    // Only the city, districts and departments adopt implementing rules (第二十一条), not a special group.
    const group = await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send({ ...policy, scope: 'sg-economy', version: `${version}-e` });
    expect(group.status).toBe(400);
    expect(group.body.error.details).toEqual([expect.objectContaining({ path: ['scope'] })]);
  });

  it("a department adopts its own version: the documents it leads are timed by it, another department's by the city's", async () => {
    const scope = 'dept-sasac';
    const version = `sasac-${Date.now()}`;
    const own = { ...defaultPolicy, scope, version, document: { ...defaultPolicy.document, chaseAfter: { weeks: 2 } } };
    expect((await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send(own)).status).toBe(201);
    expect((await resolvePolicies(deps.db)).unitPolicies[scope]).toMatchObject({ version, document: { chaseAfter: { weeks: 2 } } });

    const arrive = async (leadUnitId: string) => {
      const res = await request(app)
        .post('/api/documents')
        .set('Authorization', `Bearer ${admin}`)
        .send({ level: 'PROVINCIAL', title: '关于深化国有企业改革的实施意见', docNumber: uniqueDocNumber('鲁政发'), issuedAt: new Date().toISOString(), leadUnitId, participantUnitIds: [] });
      expect(res.status).toBe(201);
      const handle = client.workflow.getHandle(res.body.document.workflowId);
      const view = await eventually(() => handle.query(stateQuery), (v) => !!v.draftDueAt);
      const input = (await handle.fetchHistory()).events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
      return { view, input: JSON.parse(Buffer.from(input.data!).toString('utf8')) as DocumentWorkflowInput, row: await deps.db.document.findUniqueOrThrow({ where: { id: res.body.document.id } }) };
    };
    const mine = await arrive(scope);
    const city = await arrive('dept-bigdata');
    // The API resolved the unit policies into the workflow's input; the workflow never reads them itself.
    expect(mine.input.unitPolicies?.[scope]?.version).toBe(version);
    expect(mine.view.policyVersion).toBe(version);
    expect(mine.row.policyVersion).toBe(version);
    expect(city.view.policyVersion).toBe(defaultPolicy.version);
    // 第五条's chase under the department's own two weeks; the other department's under the city's three (dates: to the end of the day).
    const weeks = (v: { assignedAt?: string; draftDueAt?: string }) => (new Date(v.draftDueAt!).getTime() - new Date(v.assignedAt!).getTime()) / (7 * 86_400_000);
    console.log(`[policies] draft due after ${weeks(mine.view)} weeks under ${scope}'s own version, ${weeks(city.view)} under the city's`);
    expect(mine.view.draftDueAt).toBe(deadlineAfter(mine.view.assignedAt!, { weeks: 2 }, defaultPolicy.calendar).at);
    expect(city.view.draftDueAt).toBe(deadlineAfter(city.view.assignedAt!, { weeks: 3 }, defaultPolicy.calendar).at);
    expect(mine.view.dueAt).toBeDefined();
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

  it('a city version with a new calendar reaches the running workflows: a deadline on its new holiday moves, recorded; a retried request publishes nothing twice', async () => {
    const arrived = await request(app)
      .post('/api/documents')
      .set('Authorization', `Bearer ${admin}`)
      // Issued 5 days ago: its month ends on a day the documents of the files running beside this one (issued
      // today) do not end on, and after its draft's (three weeks), so the calendar below moves neither.
      .send({ level: 'PROVINCIAL', title: '关于深化数据要素市场化配置改革的实施意见', docNumber: uniqueDocNumber('鲁政发'), issuedAt: new Date(Date.now() - 5 * 86_400_000).toISOString(), leadUnitId: 'dept-bigdata', participantUnitIds: [] });
    expect(arrived.status).toBe(201);
    const handle = client.workflow.getHandle(arrived.body.document.workflowId);
    const before = await eventually(() => handle.query(stateQuery), (v) => !!v.dueAt && !!v.draftDueAt);
    // The office publishes a calendar that makes the document's due day a holiday (shift: to the next working day).
    const day = shanghaiDate(before.dueAt!);
    const year = defaultPolicy.calendar.years[day.slice(0, 4)] ?? { holidays: [], workdays: [] };
    const calendar: CalendarPolicy = {
      ...defaultPolicy.calendar,
      version: `cal-${Date.now()}`,
      shift: 'HOLIDAYS',
      years: { ...defaultPolicy.calendar.years, [day.slice(0, 4)]: { holidays: [...year.holidays, { name: '测试假日', from: day, to: day }], workdays: year.workdays.filter((w) => w !== day) } },
    };
    const body = { ...defaultPolicy, version: `city-${calendar.version}`, calendar };
    const publish = () => request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send(body);
    try {
      const first = await publish();
      expect(first.status).toBe(201);
      expect(first.body.calendarPublished).toBe(true);
      // The batch signal reaches the running document: its month moves off the holiday; the draft's date stays.
      const moved = deadlineOn(calendar, day);
      expect(moved.shift).toContain('测试假日');
      const after = await eventually(() => handle.query(stateQuery), (v) => v.dueAt !== before.dueAt, 30_000);
      console.log(`[calendar] ${calendar.version}: document due ${before.dueAt} → ${after.dueAt} (${moved.shift})`);
      expect(after.dueAt).toBe(moved.at);
      expect(after.draftDueAt).toBe(before.draftDueAt);
      // A retried request (the same body) answers again and starts nothing; another body under the version is refused.
      const again = await publish();
      expect([again.status, again.body.calendarPublished]).toEqual([200, false]);
      expect((await request(app).post('/api/policies').set('Authorization', `Bearer ${admin}`).send({ ...body, calendar: { ...calendar, shift: 'NONE' } })).status).toBe(409);
      await eventually(() => deps.db.document.findUniqueOrThrow({ where: { id: arrived.body.document.id } }), (row) => row.dueAt?.toISOString() === moved.at);
      const signals = (await handle.fetchHistory()).events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'calendarChanged');
      expect(signals).toHaveLength(1);
    } finally {
      // The other files running beside this one start their workflows under the city's defaults again.
      await deps.db.policyVersion.deleteMany({ where: { scope: 'city', version: body.version } });
    }
  });
});
