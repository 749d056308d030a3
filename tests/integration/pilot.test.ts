/**
 * The pilot API against the real Temporal dev server, PostgreSQL and SMTP sink
 * (第十一条 (五)–(七), 第十三条): registration (who may, what is refused, a repeat
 * changes nothing), who sees a pilot, each step by whom, an impossible step, the
 * upward report's addressees; the record equals the workflow at the end.
 */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { tokenFor, type TestDeps } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { waitForMail } from '../support/mailbox';
import { expectRecordsMatch } from '../support/records';

describe('pilots API (dev server, PostgreSQL, SMTP sink)', () => {
  let harness: DevServerHarness;
  let deps: TestDeps;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    app = createApp({ db: deps.db, client });
    for (const id of ['ro-director', 'dept-health-liaison', 'dept-finance-liaison', 'district-zhangdian-deputy', 'district-boshan-director']) tokens[id] = await tokenFor(deps.db, id);
  });

  // The workflow is the source of truth: every test ends with its record equal to it.
  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(() => harness?.close());

  const as = (id: string) => ({ Authorization: `Bearer ${tokens[id]}` });
  const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();
  const won = (reference: string, extra: Record<string, unknown> = {}) => ({
    origin: 'WON',
    reference,
    title: '医保支付方式改革试点',
    level: 'PROVINCIAL',
    leadUnitId: 'dept-health',
    participantUnitIds: ['dept-finance'],
    leaderId: 'dept-health-leader',
    goals: '按病种分值付费全覆盖',
    dueAt: inAYear(),
    resultsUse: '形成可复制经验，报省推广',
    ...extra,
  });
  const post = (path: string, who: string, body: object) => request(app).post(`/api${path}`).set(as(who)).send(body);

  it('第十一条: a pilot won — registered by the reform office with its ledger, progress by the lead unit, acceptance and the upward report by the office', async () => {
    const reference = unique('鲁改办函');
    expect((await post('/pilots', 'dept-health-liaison', won(reference))).status).toBe(403);
    const bad = await post('/pilots', 'ro-director', won(reference, { goals: undefined, dueAt: 'next year' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string[] }) => d.path[0]).sort()).toEqual(['dueAt', 'goals']);
    const past = await post('/pilots', 'ro-director', won(reference, { dueAt: '2020-01-01T00:00:00+08:00' }));
    expect([past.status, past.body.error.details[0].path]).toEqual([400, ['dueAt']]);
    expect((await post('/pilots', 'ro-director', won(reference, { leaderId: 'nobody' }))).status).toBe(400);
    expect(await deps.db.pilot.count({ where: { reference } })).toBe(0); // refusals changed nothing

    const res = await post('/pilots', 'ro-director', won(reference));
    expect(res.status).toBe(201);
    const { id, workflowId } = res.body.pilot;
    // The answer waits for the workflow to record the registration: the pilot is running, its ledger obligation open.
    expect([res.body.pilot.state, res.body.pilot.obligations.map((o: { key: string }) => o.key.slice(workflowId.length + 1))]).toEqual(['RUNNING', ['completion']]);
    const again = await post('/pilots', 'ro-director', won(reference, { title: '重复登记' }));
    expect([again.status, again.body.created, again.body.pilot.id]).toEqual([200, false, id]);
    const mail = await waitForMail((m) => m.subject === '【试点立项】医保支付方式改革试点' && m.to.includes('dept-health-liaison@zibo.example.cn') && m.text.includes('按病种分值付费全覆盖'));
    expect(mail.text).toContain('依据：第十一条');

    // A participant sees it; an unrelated district does not, not even in the ledger.
    expect((await request(app).get(`/api/pilots/${reference}`).set(as('dept-finance-liaison'))).status).toBe(200);
    expect((await request(app).get(`/api/pilots/${id}`).set(as('district-boshan-director'))).status).toBe(404);
    const list = await request(app).get('/api/pilots').set(as('district-boshan-director'));
    expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    expect((await request(app).get('/api/pilots?state=NOPE').set(as('ro-director'))).status).toBe(400);

    // 第十一条（六）(七): the lead unit reports and asks for acceptance; the office accepts and reports upward.
    expect((await post(`/pilots/${id}/progress`, 'dept-finance-liaison', { note: '参与' })).status).toBe(403);
    expect((await post(`/pilots/${id}/progress`, 'dept-health-liaison', {})).status).toBe(400);
    expect((await post(`/pilots/${id}/progress`, 'dept-health-liaison', { note: '完成首批病种分值测算' })).status).toBe(200);
    expect((await post(`/pilots/${id}/plan`, 'dept-health-liaison', { goals: '改' })).status).toBe(403);
    expect((await post(`/pilots/${id}/plan`, 'ro-director', { note: '无调整' })).status).toBe(400);
    const stale = await post(`/pilots/${id}/plan`, 'ro-director', { dueAt: '2020-01-01T00:00:00+08:00' });
    expect([stale.status, stale.body.error.message]).toEqual([409, '新的完成时限须晚于当前时间']);
    expect((await post(`/pilots/${id}/plan`, 'ro-director', { goals: '按病种分值付费全覆盖，并纳入DRG监测' })).body.goals).toBe('按病种分值付费全覆盖，并纳入DRG监测');
    expect((await post(`/pilots/${id}/acceptance`, 'dept-health-liaison', { approved: true })).status).toBe(403);
    const early = await post(`/pilots/${id}/acceptance`, 'ro-director', { approved: true });
    expect([early.status, early.body.error.message]).toEqual([409, '当前状态为“试点推进中”，不能组织验收（需处于“已申请验收”）']);
    const requested = await post(`/pilots/${id}/acceptance-request`, 'dept-health-liaison', { note: '试点任务已完成' });
    expect(requested.body.state).toBe('ACCEPTANCE_REQUESTED');
    expect(requested.body.obligations.map((o: { key: string; unitId: string }) => [o.key.slice(workflowId.length + 1), o.unitId])).toEqual([['acceptance', 'reform-office']]);
    expect((await post(`/pilots/${id}/acceptance`, 'ro-director', { approved: true })).body.state).toBe('ACCEPTED');
    await waitForMail((m) => m.subject === '【验收通过】医保支付方式改革试点');
    expect((await post(`/pilots/${id}/upward-report`, 'ro-director', { to: [], summary: '报告' })).status).toBe(400);
    const reported = await post(`/pilots/${id}/upward-report`, 'ro-director', { to: ['PROVINCIAL'], summary: '试点成果报省委改革办' });
    expect([reported.status, reported.body.state, reported.body.reportedTo, reported.body.obligations]).toEqual([200, 'REPORTED', ['PROVINCIAL'], []]);
    expect(reported.body.events.map((e: { step: string }) => e.step)).toEqual(['registered', 'reportProgress', 'revisePlan', 'requestAcceptance', 'acceptance', 'reportUpward']);
  });

  it('第十三条: a unit registers its own experience; a city-wide one is reported to both the central and the provincial office', async () => {
    const body = { origin: 'EXPERIENCE', reference: unique('张店经验'), title: '“一窗受理”改革经验', summary: '综合窗口集成服务', unitId: 'district-zhangdian', cityWide: true };
    expect((await post('/pilots', 'district-boshan-director', body)).status).toBe(403);
    const res = await post('/pilots', 'district-zhangdian-deputy', body);
    expect(res.status).toBe(201);
    const { id } = res.body.pilot;
    await waitForMail((m) => m.subject === '【基层经验待上报】“一窗受理”改革经验' && m.to.includes('ro-director@zibo.example.cn'));
    expect((await post(`/pilots/${id}/upward-report`, 'district-zhangdian-deputy', { to: ['CENTRAL', 'PROVINCIAL'], summary: '报告' })).status).toBe(403);
    const one = await post(`/pilots/${id}/upward-report`, 'ro-director', { to: ['PROVINCIAL'], summary: '报省委改革办' });
    expect([one.status, one.body.error.message]).toEqual([409, '在全市推广的经验须直接向中央改革办和省委改革办报告（第十三条）']);
    const both = await post(`/pilots/${id}/upward-report`, 'ro-director', { to: ['CENTRAL', 'PROVINCIAL'], summary: '报中央和省委改革办' });
    expect([both.status, both.body.state]).toEqual([200, 'REPORTED']);
    await waitForMail((m) => m.subject === '【上报推广】“一窗受理”改革经验' && m.text.includes('报告中央改革办、省委改革办'));
    const closed = await post(`/pilots/${id}/upward-report`, 'ro-director', { to: ['CENTRAL', 'PROVINCIAL'], summary: '再报' });
    expect(closed.status).toBe(409);
  });
});
