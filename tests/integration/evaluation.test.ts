/**
 * The annual evaluation (第九条, 第十四条（三）) on the real Temporal dev server,
 * PostgreSQL and the SMTP sink: the March schedule (1 March 00:00 Asia/Shanghai),
 * then a year walked through the HTTP API — started by hand, the plan, the
 * districts' self-scores with their visits, the departments' scores, the
 * report reviewed by the director, the main leaders' decision, the follow-ups
 * — with refusals: 400 (body), 403 (wrong unit or role), 409 (impossible step).
 */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { evaluationWorkflowId } from '../../common/ids';
import { EVALUATION_SCHEDULE_ID } from '../../worker/schedules';
import { createScheduleUnderTest, deleteScheduleUnderTest } from '../support/schedules';
import { tokenFor, type TestDeps } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { D1, D2, departmentScores, planFrom, seedExperiences, selfScores, uniqueEvaluationYear } from '../support/evaluation';
import { mailTo } from '../support/mailbox';
import { eventually } from '../support/eventually';
import { expectRecordsMatch } from '../support/records';

jest.setTimeout(120_000);

describe('annual evaluation (dev server)', () => {
  let deps: TestDeps;
  let harness: DevServerHarness;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    app = createApp({ db: deps.db, client });
    for (const who of ['ro-director', 'ro-deputy', 'city-mayor', `${D1}-deputy`, `${D2}-deputy`, 'dept-health-liaison', 'dept-finance-liaison']) tokens[who] = await tokenFor(deps.db, who);
  });

  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    await deleteScheduleUnderTest(client, EVALUATION_SCHEDULE_ID);
    await harness?.close();
  });

  it('the March schedule fires at 00:00 on 1 March, Asia/Shanghai', async () => {
    // What the worker creates as it starts (ensureSchedules), under an id of its own (tests/support/schedules.ts).
    const d = await (await createScheduleUnderTest(client, EVALUATION_SCHEDULE_ID)).describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.info.nextActionTimes.length).toBeGreaterThan(0);
    for (const t of d.info.nextActionTimes) {
      const local = new Date(t.getTime() + 8 * 3600_000);
      expect([local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes()]).toEqual([3, 1, 0, 0]);
    }
  });

  it('a year walked through the API, from the plan to the last follow-up', async () => {
    const year = uniqueEvaluationYear();
    const experiences = await seedExperiences(deps.db, year);
    const path = `/api/evaluations/${year}`;

    expect((await request(app).post('/api/evaluations').set(as(`${D1}-deputy`)).send({ year })).status).toBe(403);
    expect((await request(app).post('/api/evaluations').set(as('ro-director')).send({ year: 'next' })).status).toBe(400);
    const started = await request(app).post('/api/evaluations').set(as('ro-director')).send({ year, seed: 'api-seed' });
    expect(started.status).toBe(201);
    expect(started.body.evaluation.districts).toEqual([D1, D2]);
    expect((await request(app).post('/api/evaluations').set(as('ro-director')).send({ year })).status).toBe(200);

    const plan = planFrom(Date.now());
    expect((await request(app).post(`${path}/plan`).set(as(`${D1}-deputy`)).send(plan)).status).toBe(403);
    expect((await request(app).post(`${path}/plan`).set(as('ro-director')).send({ ...plan, methods: '' })).status).toBe(400);
    const four = await request(app).post(`${path}/plan`).set(as('ro-director')).send({ ...plan, items: plan.items.slice(0, 4) });
    expect([four.status, four.body.error.message]).toEqual([409, expect.stringContaining('须确定5项')]);
    expect((await request(app).post(`${path}/plan`).set(as('ro-director')).send(plan)).body.phase).toBe('SCORING');
    expect((await eventually(() => mailTo(`${D1}-deputy@zibo.example.cn`), (ms) => ms.some((x) => x.subject.startsWith('【评估通知】')))).length).toBeGreaterThan(0);

    const pick = (d: string) => experiences.filter((e) => e.districtIds.includes(d)).slice(0, 2).map((e) => e.id);
    expect((await request(app).post(`${path}/self-scores`).set(as(`${D1}-deputy`)).send({ unitId: D2, scores: selfScores(experiences, D2), chosen: pick(D2) })).status).toBe(403);
    const own = await request(app).post(`${path}/self-scores`).set(as(`${D1}-deputy`)).send({ scores: selfScores(experiences, D1), chosen: pick(D1) });
    expect(own.status).toBe(200);
    expect(own.body.visits[0]).toEqual(expect.objectContaining({ districtId: D1, chosen: pick(D1) }));
    expect(own.body.visits[0].drawn).toHaveLength(2);
    await request(app).post(`${path}/self-scores`).set(as(`${D2}-deputy`)).send({ scores: selfScores(experiences, D2, 50), chosen: pick(D2) }).expect(200);
    await request(app).post(`${path}/department-scores`).set(as('dept-health-liaison')).send({ scores: departmentScores(experiences, 'dept-health'), material: '推广情况书面材料' }).expect(200);
    const last = await request(app).post(`${path}/department-scores`).set(as('dept-finance-liaison')).send({ scores: departmentScores(experiences, 'dept-finance'), material: '推广情况书面材料' });
    expect(last.body.phase).toBe('REPORTING'); // every score in: on to the report

    const report = { title: `${year}年度改革评估报告`, summary: '总体良好', results: [{ unitId: D1, score: 90 }, { unitId: D2, score: 52 }], findings: [] };
    await request(app).post(`${path}/report`).set(as('ro-director')).send(report).expect(200);
    expect((await request(app).post(`${path}/review`).set(as('ro-deputy')).send({ approved: true })).status).toBe(403);
    expect((await request(app).post(`${path}/review`).set(as('ro-director')).send({ approved: true })).body.phase).toBe('DECISION');
    expect((await request(app).post(`${path}/decision`).set(as('ro-director')).send({ publish: true, channels: ['淄博日报'] })).status).toBe(403);
    const decided = await request(app).post(`${path}/decision`).set(as('city-mayor')).send({ publish: true, channels: ['淄博日报'] });
    expect(decided.body.followUps.map((f: { id: string }) => f.id)).toEqual([`rectification:${D2}`]);

    const followUp = `${path}/follow-ups/rectification:${D2}`;
    expect((await request(app).post(followUp).set(as(`${D1}-deputy`)).send({ outcome: '整改' })).status).toBe(403);
    expect((await request(app).post(`${path}/follow-ups/nothing`).set(as('ro-director')).send({ outcome: '整改' })).status).toBe(404);
    expect((await request(app).post(followUp).set(as(`${D2}-deputy`)).send({ outcome: '整改方案已印发' })).body.phase).toBe('CLOSED');

    const detail = await eventually(async () => (await request(app).get(path).set(as(`${D2}-deputy`))).body, (b) => b.phase === 'CLOSED');
    expect([detail.phaseLabel, detail.obligations]).toEqual(['已办结', []]);
    expect((await request(app).get('/api/evaluations').set(as('ro-director'))).body.items.map((e: { year: number }) => e.year)).toContain(year);
    expect((await request(app).get('/api/evaluations/1999').set(as('ro-director'))).status).toBe(400);
    expect(evaluationWorkflowId(year)).toBe(started.body.workflowId);
  });
});
