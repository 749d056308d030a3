/**
 * The API of the standing duties against the real Temporal dev server,
 * PostgreSQL and SMTP sink (第十五条(一)(二), 第十七条(二)): who may start a year
 * and take each step (403), bad input (400 with details), the workflow's
 * refusals (409), the steps of the current year, and the previous year caught
 * up — its weeks begun and chased at once, the chase mail in the sink. The
 * years are the clock's current and previous ones; where a step depends on the
 * date (a piece needs a begun week, the brochure December), the test expects
 * what that date gives, so no assertion depends on the day it runs.
 */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { DUTIES_SCHEDULE_ID } from '../../worker/schedules';
import { mondayOf, shanghaiDay, weeksOfYear } from '../../workflows/standingDuties/state';
import { createScheduleUnderTest, deleteScheduleUnderTest } from '../support/schedules';
import { tokenFor, type TestDeps } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { eventually } from '../support/eventually';
import { waitForMail } from '../support/mailbox';
import { expectRecordsMatch } from '../support/records';

jest.setTimeout(300_000);

describe('standing duties API (dev server, PostgreSQL, SMTP sink)', () => {
  let harness: DevServerHarness;
  let deps: TestDeps;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    app = createApp({ db: deps.db, client });
    for (const id of ['ro-director', 'dept-propaganda-liaison', 'dept-health-liaison']) tokens[id] = await tokenFor(deps.db, id);
  });

  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    await deleteScheduleUnderTest(client, DUTIES_SCHEDULE_ID);
    await harness?.close();
  });

  const as = (id: string) => ({ Authorization: `Bearer ${tokens[id]}` });
  const post = (path: string, who: string, body: object) => request(app).post(`/api${path}`).set(as(who)).send(body);
  const get = (path: string, who = 'ro-director') => request(app).get(`/api${path}`).set(as(who));
  const paths = (res: { body: { error: { details: Array<{ path: Array<string | number> }> } } }) => res.body.error.details.map((d) => d.path.join('.')).sort();
  const today = shanghaiDay(Date.now());
  const year = Number(today.slice(0, 4));

  it('the schedule fires at 00:00 on 1 January (Asia/Shanghai)', async () => {
    const handle = await createScheduleUnderTest(client, DUTIES_SCHEDULE_ID);
    const d = await handle.describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    for (const t of d.info.nextActionTimes) {
      const local = new Date(t.getTime() + 8 * 3600_000);
      expect([local.getUTCMonth(), local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes()]).toEqual([0, 1, 0, 0]);
    }
  });

  it('第十五条(一)(二), 第十七条(二): the current year — who may, bad input, refusals, the steps', async () => {
    expect((await post('/duties', 'dept-propaganda-liaison', { year })).status).toBe(403);
    expect(paths(await post('/duties', 'ro-director', { year: year - 2 }))).toEqual(['year']);
    expect((await post('/duties', 'ro-director', { year: 'x' })).status).toBe(400);
    const started = await post('/duties', 'ro-director', { year });
    expect([200, 201]).toContain(started.status);
    // Idempotent: starting a running year returns it.
    const again = await post('/duties', 'ro-director', { year });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ started: false, year, workflowId: `duties:${year}` });
    const detail = (await get(`/duties/${year}`)).body;
    expect(detail.table.map((r: { mediumId: string }) => r.mediumId)).toContain('zibo-daily');
    expect((await get('/duties')).body.items.map((x: { id: string }) => x.id)).toContain(String(year));

    // 第十五条(一): only the propaganda department reports pieces; bad bodies are 400 with details.
    const piece = { mediumId: 'zibo-daily', title: '深化改革惠民生：一窗通办', publishedOn: today, link: 'https://www.zibo.example.cn/news/1' };
    expect((await post(`/duties/${year}/pieces`, 'dept-health-liaison', { pieces: [piece] })).status).toBe(403);
    expect(paths(await post(`/duties/${year}/pieces`, 'dept-propaganda-liaison', { pieces: [{ ...piece, link: undefined, publishedOn: '2027-13-01' }] }))).toEqual(['pieces.0.link', 'pieces.0.publishedOn']);
    expect((await post(`/duties/${year}/pieces`, 'dept-propaganda-liaison', { pieces: [{ ...piece, mediumId: 'no-such' }] })).status).toBe(409);
    const reported = await post(`/duties/${year}/pieces`, 'dept-propaganda-liaison', { pieces: [piece] });
    if (weeksOfYear(year).includes(mondayOf(today))) {
      expect(reported.status).toBe(201);
      expect(reported.body.pieces).toHaveLength(1);
      const again409 = await post(`/duties/${year}/pieces`, 'dept-propaganda-liaison', { pieces: [piece] });
      expect(again409.status).toBe(409);
      expect(again409.body.error.message).toContain('已报送');
    } else {
      // Before the year's first Monday the piece belongs to the previous year's last week.
      expect(reported.status).toBe(409);
      expect(reported.body.error.message).toContain('不在');
    }

    // 第十五条(二): the brochure in December only; the reform office or the propaganda department records it.
    const brochure = { distributedOn: `${year}-12-01`, copies: 3000, places: ['淄博市民中心'] };
    expect((await post(`/duties/${year}/brochure`, 'dept-health-liaison', brochure)).status).toBe(403);
    expect(paths(await post(`/duties/${year}/brochure`, 'ro-director', { ...brochure, copies: 0 }))).toEqual(['copies']);
    const outside = await post(`/duties/${year}/brochure`, 'ro-director', { ...brochure, distributedOn: `${year}-11-30` });
    expect(outside.status).toBe(409);
    expect(outside.body.error.message).toBe(`宣传册须于${year}年12月份集中发放（第十五条（二））`);
    const distributed = await post(`/duties/${year}/brochure`, 'dept-propaganda-liaison', { ...brochure, distributedOn: today.slice(5, 7) === '12' ? today : `${year}-12-01` });
    if (today.slice(5, 7) === '12') expect(distributed.status).toBe(200);
    else expect(distributed.body.error.message).toContain('尚未到来');

    // 第十七条(二): the university class, planned and held (the reform office only), and a regular training.
    const plan = { university: '北京大学', title: '全面深化改革专题培训班', startsOn: today, endsOn: today, participantUnitIds: ['reform-office', 'district-zhangdian'] };
    expect((await post(`/duties/${year}/training/plan`, 'dept-propaganda-liaison', plan)).status).toBe(403);
    expect(paths(await post(`/duties/${year}/training/plan`, 'ro-director', { ...plan, participantUnitIds: ['no-such-unit'] }))).toEqual(['participantUnitIds']);
    expect((await post(`/duties/${year}/training/held`, 'ro-director', { attendees: 40 })).body.error.message).toBe('尚未登记高校专题培训班计划');
    expect((await post(`/duties/${year}/training/plan`, 'ro-director', plan)).status).toBe(200);
    const held = await post(`/duties/${year}/training/held`, 'ro-director', { attendees: 40, note: '市、区县改革办骨干参训' });
    expect(held.status).toBe(200);
    expect(held.body.training.held).toMatchObject({ attendees: 40 });
    expect(held.body.obligations.some((o: { key: string }) => o.key.endsWith(':training'))).toBe(false);
    expect((await post(`/duties/${year}/training/held`, 'ro-director', { attendees: 40 })).status).toBe(409);
    const regular = await post(`/duties/${year}/trainings`, 'ro-director', { title: '改革督察业务培训', heldOn: today, participantUnitIds: ['district-zhangdian'] });
    expect(regular.status).toBe(201);
    // The browser walk records a training in the same year too.
    expect(regular.body.trainings.filter((t: { title: string }) => t.title === '改革督察业务培训')).toHaveLength(1);
    expect((await deps.db.obligation.findUniqueOrThrow({ where: { key: `duties:${year}:training` } })).status).toBe('DONE');
  });

  it('第十五条(一): the previous year caught up — its weeks begin and are chased at once; the chase reaches the propaganda department by mail', async () => {
    const past = year - 1;
    const started = await post('/duties', 'ro-director', { year: past });
    expect([200, 201, 202]).toContain(started.status);
    const first = weeksOfYear(past)[0];
    const mail = await waitForMail((x) => x.subject === `【催办单】“深化改革惠民生”栏目${first}当周未刊播稿件` && x.to.includes('dept-propaganda-liaison@zibo.example.cn'), 120_000);
    expect(mail.text).toContain('淄博日报');
    expect(mail.text).toContain('第十五条（一）');
    const row = await eventually(() => deps.db.dutiesYear.findUnique({ where: { id: String(past) } }), (r) => !!r && (r.weeks as unknown[]).length > 0, 60_000);
    expect((row!.weeks as Array<{ monday: string }>)[0].monday).toBe(first);
  });
});
