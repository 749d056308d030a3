/**
 * The yearly innovation items (第十二条) on the real Temporal dev server,
 * PostgreSQL and the SMTP sink: the January schedule starts the year, then the
 * year is walked through the HTTP API as its officials would — a district and
 * a department submit, the call is closed, each special group's leader signs
 * its review, the reform office reviews, the director approves (the bulletin
 * goes out), the units report their first month and the office comments,
 * then adds an item and withdraws one (第十二条(三)).
 * Refusals: 400 (body), 403 (wrong unit or role), 409 (impossible step).
 */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { explorationWorkflowId } from '../../common/ids';
import { EXPLORATION_SCHEDULE_ID } from '../../worker/schedules';
import { createScheduleUnderTest, deleteScheduleUnderTest } from '../support/schedules';
import { mailTo } from '../support/mailbox';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { expectRecordsMatch } from '../support/records';
import { eventually } from '../support/eventually';
import { tokenFor, type TestDeps } from '../support/deps';
import { shanghaiYear } from '../support/testClock';

jest.setTimeout(120_000);

const PEOPLE = ['ro-director', 'ro-deputy', 'district-zhangdian-deputy', 'dept-health-liaison', 'sg-economy-leader', 'sg-economy-liaison', 'sg-society-leader'];

describe('innovation items (第十二条, dev server)', () => {
  let deps: TestDeps;
  let harness: DevServerHarness;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  let year = '';

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    app = createApp({ db: deps.db, client });
    for (const who of PEOPLE) tokens[who] = await tokenFor(deps.db, who);
  });

  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    await deleteScheduleUnderTest(client, EXPLORATION_SCHEDULE_ID);
    if (year) await client.workflow.getHandle(explorationWorkflowId(year)).terminate('test done').catch(() => undefined);
    await harness?.close();
  });

  it('the schedule fires at 09:00 on 5 January (Asia/Shanghai); trigger() starts the year once', async () => {
    // What the worker creates as it starts (ensureSchedules), under an id of its own (tests/support/schedules.ts).
    const handle = await createScheduleUnderTest(client, EXPLORATION_SCHEDULE_ID);
    const d = await handle.describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    for (const t of d.info.nextActionTimes) {
      const local = new Date(t.getTime() + 8 * 3600_000);
      expect([local.getUTCMonth(), local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes()]).toEqual([0, 5, 9, 0]);
    }
    const before = String(shanghaiYear(Date.now()));
    await handle.trigger();
    const row = await eventually(() => deps.db.explorationYear.findFirst({ where: { id: { in: [before, String(shanghaiYear(Date.now()))] } } }), (r) => !!r, 60_000);
    year = row!.id;
    expect(row!.phase).toBe('CALL');
    // A second trigger leaves the running year alone.
    await handle.trigger();
    await new Promise((r) => setTimeout(r, 1500));
    let runs = 0;
    for await (const w of client.workflow.list({ query: `WorkflowId = '${explorationWorkflowId(year)}'` })) runs += w.workflowId ? 1 : 0;
    expect(runs).toBe(1);
  });

  it('a year through the API: submit, close the call, group reviews signed by the leaders, office review, approval, progress, comment', async () => {
    const y = `/api/exploration/${year}`;
    // Starting it again by hand finds the running year.
    const again = await request(app).post('/api/exploration').set(auth('ro-director')).send({ year });
    expect(again.status).toBe(200);
    expect(again.body.started).toBe(false);
    expect((await request(app).post('/api/exploration').set(auth('ro-director')).send({ year: '1999' })).status).toBe(400);
    expect((await request(app).post('/api/exploration').set(auth('district-zhangdian-deputy')).send({ year })).status).toBe(403);
    // The January notice reached the districts and departments.
    await eventually(() => mailTo('district-zhangdian-deputy@zibo.example.cn'), (ms) => ms.some((m) => m.subject.includes(`提报${year}年度探索创新改革事项`)), 15_000);

    const item = { title: '“一窗受理”延伸到村居', summary: '在全区推行政务服务一窗受理并延伸到村居便民服务站。', kind: 'ACHIEVEMENT', groupId: 'sg-economy' };
    expect((await request(app).post(`${y}/items`).set(auth('district-zhangdian-deputy')).send({ ...item, kind: 'OTHER' })).status).toBe(400);
    const a = await request(app).post(`${y}/items`).set(auth('district-zhangdian-deputy')).send(item);
    expect(a.status).toBe(201);
    const b = await request(app).post(`${y}/items`).set(auth('dept-health-liaison')).send({ title: '医保结算跨区直报', summary: '亟需打通全市医保结算的跨区直报通道。', kind: 'PROPOSAL', groupId: 'sg-society' });
    expect(b.status).toBe(201);
    // A special group does not submit; the same title twice is refused.
    expect((await request(app).post(`${y}/items`).set(auth('sg-economy-liaison')).send(item)).status).toBe(409);
    expect((await request(app).post(`${y}/items`).set(auth('district-zhangdian-deputy')).send(item)).status).toBe(409);
    const ids = Object.fromEntries((b.body.items as Array<{ itemId: string; unitId: string }>).map((i) => [i.unitId, i.itemId]));

    // Reviews before the call closes are refused; the administrator closes it early.
    expect((await request(app).post(`${y}/group-reviews`).set(auth('sg-economy-leader')).send({ decisions: [{ itemId: ids['district-zhangdian'], passed: true }] })).status).toBe(409);
    const closed = await request(app).post(`${y}/close`).set(auth('ro-director')).send({ phase: 'CALL', note: '提报单位已报齐' });
    expect(closed.status).toBe(200);
    expect(closed.body.phase).toBe('GROUP_REVIEW');
    // 经市专项小组组长审核签字: the liaison may not sign; a sheet must cover every item of the group.
    expect((await request(app).post(`${y}/group-reviews`).set(auth('sg-economy-liaison')).send({ decisions: [{ itemId: ids['district-zhangdian'], passed: true }] })).status).toBe(403);
    expect((await request(app).post(`${y}/group-reviews`).set(auth('sg-economy-leader')).send({ decisions: [{ itemId: ids['dept-health'], passed: true }] })).status).toBe(409);
    expect((await request(app).post(`${y}/group-reviews`).set(auth('sg-economy-leader')).send({ decisions: [{ itemId: ids['district-zhangdian'], passed: true, comment: '成效明显' }] })).status).toBe(200);
    const groups = await request(app).post(`${y}/group-reviews`).set(auth('sg-society-leader')).send({ decisions: [{ itemId: ids['dept-health'], passed: true }] });
    expect(groups.status).toBe(200);
    // Every group signed: the office review opens by itself.
    const office = await eventually(async () => (await request(app).get(y).set(auth('ro-director'))).body, (v) => v.phase === 'OFFICE_REVIEW', 15_000);
    expect(office.obligations.map((o: { title: string }) => o.title)).toContain('复审探索创新改革事项');

    const reviewed = await request(app)
      .post(`${y}/office-review`)
      .set(auth('ro-deputy'))
      .send({ decisions: [{ itemId: ids['district-zhangdian'], passed: true }, { itemId: ids['dept-health'], passed: false, comment: '属上级事权，转报省级' }] });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.phase).toBe('APPROVAL');
    // Only the director approves, and only what the office passed.
    expect((await request(app).post(`${y}/approval`).set(auth('ro-deputy')).send({ decisions: [{ itemId: ids['district-zhangdian'], passed: true }] })).status).toBe(403);
    expect((await request(app).post(`${y}/approval`).set(auth('ro-director')).send({ decisions: [{ itemId: ids['dept-health'], passed: true }] })).status).toBe(409);
    const approved = await request(app).post(`${y}/approval`).set(auth('ro-director')).send({ decisions: [{ itemId: ids['district-zhangdian'], passed: true, comment: '补充村居覆盖率目标' }] });
    expect(approved.status).toBe(200);
    expect(approved.body.phase).toBe('TRACKING');
    expect(approved.body.rounds).toHaveLength(1);
    // 简报反馈: both submitters learn their items' outcome.
    // The sink is shared with the time-skipping file's years: a mail is this year's by its subject.
    const ofYear = (subject: string, what: string) => subject.includes(`${year}年度`) && subject.includes(what);
    const bulletin = await eventually(() => mailTo('dept-health-liaison@zibo.example.cn'), (ms) => ms.some((m) => ofYear(m.subject, '审定结果')), 15_000);
    expect(bulletin.find((m) => ofYear(m.subject, '审定结果'))!.text).toContain('未通过复审（属上级事权，转报省级）');

    // 一月一汇总: the department has no approved item; the district reports, then the office comments.
    expect((await request(app).post(`${y}/progress`).set(auth('dept-health-liaison')).send({ round: 1, reports: [{ itemId: ids['dept-health'], text: '进展' }] })).status).toBe(409);
    expect((await request(app).post(`${y}/progress`).set(auth('district-zhangdian-deputy')).send({ round: 2, reports: [{ itemId: ids['district-zhangdian'], text: '进展' }] })).status).toBe(409);
    const progress = await request(app).post(`${y}/progress`).set(auth('district-zhangdian-deputy')).send({ round: 1, reports: [{ itemId: ids['district-zhangdian'], text: '已覆盖12个村居便民服务站' }] });
    expect(progress.status).toBe(200);
    expect(progress.body.items.find((i: { itemId: string }) => i.itemId === ids['district-zhangdian']).progress).toHaveLength(1);
    expect((await request(app).post(`${y}/comments`).set(auth('district-zhangdian-deputy')).send({ round: 1, text: '好' })).status).toBe(403);
    const comment = await request(app).post(`${y}/comments`).set(auth('ro-deputy')).send({ round: 1, text: '张店区进展较快，请各单位学习借鉴。' });
    expect(comment.status).toBe(200);
    await eventually(() => mailTo('district-zhangdian-deputy@zibo.example.cn'), (ms) => ms.some((m) => ofYear(m.subject, '第1次月度进展') && m.text.includes('请各单位学习借鉴')), 15_000);
    // The ledger row as the console reads it.
    const detail = (await request(app).get(y).set(auth('district-zhangdian-deputy'))).body;
    expect(detail.items.find((i: { itemId: string }) => i.itemId === ids['district-zhangdian']).approval).toMatchObject({ passed: true, comment: '补充村居覆盖率目标' });
    expect(detail.rounds[0].comment.text).toContain('进展较快');
    expect(detail.items.find((i: { itemId: string }) => i.itemId === ids['district-zhangdian']).tracked).toBe(true);

    // 第十二条(三) 调整补充完善: the office adds an item for the department (reports owed from round 2) and withdraws the district's.
    const addition = { unitId: 'dept-health', title: '医保结算跨区直报（调整补充）', summary: '在张店区、淄川区先行打通医保结算跨区直报。', kind: 'PROPOSAL', groupId: 'sg-society', reason: '根据上级部署补充' };
    const bad = await request(app).post(`${y}/added-items`).set(auth('ro-deputy')).send({ ...addition, reason: '', kind: 'OTHER' });
    expect([bad.status, bad.body.error.details.map((d: { path: string[] }) => d.path[0]).sort()]).toEqual([400, ['kind', 'reason']]);
    expect((await request(app).post(`${y}/added-items`).set(auth('district-zhangdian-deputy')).send(addition)).status).toBe(403);
    expect((await request(app).post(`${y}/added-items`).set(auth('ro-deputy')).send({ ...addition, unitId: 'sg-economy' })).status).toBe(409);
    expect((await request(app).post(`${y}/withdrawals`).set(auth('ro-deputy')).send({ itemIds: [], reason: '调整' })).status).toBe(400);
    expect((await request(app).post(`${y}/withdrawals`).set(auth('ro-deputy')).send({ itemIds: [ids['dept-health']], reason: '调整' })).status).toBe(409);
    expect(await deps.db.explorationItem.count({ where: { year } })).toBe(2); // the refusals changed nothing
    const added = await request(app).post(`${y}/added-items`).set(auth('ro-deputy')).send(addition);
    expect(added.status).toBe(201);
    const newItem = added.body.items.find((i: { title: string }) => i.title === addition.title);
    expect([newItem.unitId, newItem.added.round, newItem.approval.passed, newItem.tracked]).toEqual(['dept-health', 2, true, false]);
    const withdrawn = await request(app).post(`${y}/withdrawals`).set(auth('ro-deputy')).send({ itemIds: [ids['district-zhangdian']], reason: '已在全区推开，转为常态化工作' });
    expect(withdrawn.status).toBe(200);
    // Reported for round 1 already: owed no more from round 2.
    expect(withdrawn.body.items.find((i: { itemId: string }) => i.itemId === ids['district-zhangdian']).withdrawn).toMatchObject({ round: 2, reason: '已在全区推开，转为常态化工作' });
    expect((await request(app).post(`${y}/withdrawals`).set(auth('ro-deputy')).send({ itemIds: [ids['district-zhangdian']], reason: '再撤' })).status).toBe(409);
    await eventually(() => mailTo('dept-health-liaison@zibo.example.cn'), (ms) => ms.some((m) => ofYear(m.subject, '【调整】') && m.text.includes('补充，自第2次月度汇总起报送进展')), 15_000);
    await eventually(() => mailTo('district-zhangdian-deputy@zibo.example.cn'), (ms) => ms.some((m) => ofYear(m.subject, '【调整】') && m.text.includes('撤销，自第2次月度汇总起不再报送进展')), 15_000);
  });
});
