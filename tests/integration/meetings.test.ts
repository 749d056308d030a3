/**
 * The meeting family's API against the real Temporal dev server, PostgreSQL
 * and SMTP sink (第三条 第一议题, 第四条(一)): the reform office registers a
 * superior leading-group meeting, the listed bodies record their meetings and
 * first agenda items, the office is alerted when one did not convey it.
 */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { tokenFor, type TestDeps } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { waitForMail } from '../support/mailbox';
import { expectRecordsMatch } from '../support/records';

describe('meetings API (dev server, PostgreSQL, SMTP sink)', () => {
  let harness: DevServerHarness;
  let deps: TestDeps;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    app = createApp({ db: deps.db, client });
    for (const id of ['ro-director', 'dept-health-liaison', 'district-zhangdian-deputy', 'dept-finance-liaison']) tokens[id] = await tokenFor(deps.db, id);
  });
  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));
  afterAll(() => harness?.close());

  const as = (id: string) => ({ Authorization: `Bearer ${tokens[id]}` });

  it('a provincial meeting registered once; each body records its meeting, conveying it or not; the office is alerted when the first item missed it', async () => {
    // Held some weeks ago on a day of its own (the time-skipping file's meetings are a year older).
    const heldAt = new Date(Date.now() - 20 * 86_400_000 - Math.floor(Math.random() * 10 * 86_400_000)).toISOString();
    const body = { level: 'PROVINCIAL', title: `省委全面深化改革委员会会议（接口测试 ${heldAt}）`, heldAt, unitIds: ['district-zhangdian', 'dept-health'] };
    expect((await request(app).post('/api/superior-meetings').set(as('dept-health-liaison')).send(body)).status).toBe(403);
    const bad = await request(app).post('/api/superior-meetings').set(as('ro-director')).send({ ...body, heldAt: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(['heldAt']);

    const res = await request(app).post('/api/superior-meetings').set(as('ro-director')).send(body);
    expect(res.status).toBe(201);
    const { id, workflowId } = res.body.meeting;
    expect(res.body.meeting.state).toBe('CONVEYING');
    expect(res.body.meeting.obligations.map((o: { unitId: string; rule: string; light: string }) => [o.unitId, o.rule, o.light])).toEqual([
      ['dept-health', '第四条', 'GREEN'],
      ['district-zhangdian', '第四条', 'GREEN'],
    ]);
    const convey = await waitForMail((m) => m.subject.startsWith('【传达学习通知】') && m.subject.includes(body.title) && m.to.includes('dept-health-liaison@zibo.example.cn'));
    expect(convey.text).toContain('依据：第四条');
    const again = await request(app).post('/api/superior-meetings').set(as('ro-director')).send({ ...body, title: '重复登记' });
    expect([again.status, again.body.created, again.body.meeting.id]).toEqual([200, false, id]);

    // The department records its meeting conveying it; the same Idempotency-Key is the same meeting.
    const meeting = { kind: 'DEPARTMENT', title: '市卫健委改革工作会议', heldAt: new Date(Date.now() - 60_000).toISOString(), firstItem: '传达学习省委深改委会议精神', conveys: id };
    const recorded = await request(app).post('/api/meetings').set(as('dept-health-liaison')).set('Idempotency-Key', `health-${id}`).send(meeting);
    expect(recorded.status).toBe(201);
    const repeated = await request(app).post('/api/meetings').set(as('dept-health-liaison')).set('Idempotency-Key', `health-${id}`).send(meeting);
    expect(repeated.status).toBe(201);
    expect(repeated.body.meetings).toHaveLength(1);
    expect(repeated.body.meetings[0]).toMatchObject({ unitId: 'dept-health', conveyedLatest: true, conveysId: id });
    expect(repeated.body.obligations.map((o: { unitId: string }) => o.unitId)).toEqual(['district-zhangdian']);

    // Refused before anything is recorded: another unit's meeting, an unknown superior meeting, a bad kind, nothing to judge against.
    expect((await request(app).post('/api/meetings').set(as('dept-health-liaison')).send({ ...meeting, unitId: 'district-zhangdian' })).status).toBe(403);
    const unknown = await request(app).post('/api/meetings').set(as('district-zhangdian-deputy')).send({ ...meeting, conveys: 'no-such-meeting' });
    expect([unknown.status, unknown.body.error.details[0].path]).toEqual([400, ['conveys']]);
    expect((await request(app).post('/api/meetings').set(as('district-zhangdian-deputy')).send({ ...meeting, kind: 'PARTY' })).status).toBe(400);
    const tooEarly = await request(app).post('/api/meetings').set(as('district-zhangdian-deputy')).send({ ...meeting, heldAt: '2001-01-01T09:00:00+08:00' });
    expect(tooEarly.status).toBe(409);

    // The district's meeting opened with something else: recorded, its duty still open, the office alerted (第三条).
    const missed = await request(app)
      .post('/api/meetings')
      .set(as('district-zhangdian-deputy'))
      .send({ kind: 'LEADING_GROUP', title: '区委深改委第三次会议', heldAt: meeting.heldAt, firstItem: '研究部署年度改革重点任务' });
    expect(missed.status).toBe(201);
    expect(missed.body.meetings.find((x: { unitId: string }) => x.unitId === 'district-zhangdian')).toMatchObject({ conveyedLatest: false, conveysId: null });
    const alert = await waitForMail((m) => m.subject === '【第一议题提示】张店区区委深改委第三次会议未传达最新上级会议精神' && m.to.includes('ro-director@zibo.example.cn'));
    expect(alert.text).toContain('第一议题为“研究部署年度改革重点任务”');
    expect(alert.text).toContain(body.title);

    const detail = await request(app).get(`/api/superior-meetings/${id}`).set(as('district-zhangdian-deputy'));
    expect(detail.status).toBe(200);
    expect(detail.body.notices.map((n: { kind: string }) => n.kind).sort()).toEqual(['CONVEY', 'FIRST_ITEM_MISSED']);
    expect(detail.body.events.map((e: { step: string }) => e.step)).toEqual(['recordMeeting', 'recordMeeting']);
    expect((await request(app).get(`/api/superior-meetings/${id}`).set(as('dept-finance-liaison'))).status).toBe(404);
    const list = await request(app).get('/api/superior-meetings').set(as('dept-finance-liaison'));
    expect(list.body.items.some((x: { id: string }) => x.id === id)).toBe(true);
    expect((await client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
  });
});
