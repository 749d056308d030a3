/**
 * The monthly 六个一 cycle (第六条) on the real Temporal dev server,
 * PostgreSQL and the SMTP sink. The schedule: created idempotently, next
 * actions at 00:00 on the 1st (Asia/Shanghai), trigger() starts the month's
 * cycle. Then a month driven through the HTTP API as a new user would:
 * roadmap and indicators loaded, the month started by hand, reports, an
 * inspection signed by both parties, scores and an override, a quarterly team
 * rating, the ranking published, the briefing downloaded, the diagnosis filed.
 * Refusals: 400 (body), 403 (wrong unit or role), 409 (impossible step).
 */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { cycleWorkflowId } from '../../common/ids';
import * as m from '../../workflows/cycle/messages';
import { shanghaiMonth } from '../../workflows/cycle/state';
import type { cycleScheduleWorkflow, cycleWorkflow } from '../../workflows/cycle/workflow';
import { CYCLE_YEARS, shanghaiYear } from '../support/testClock';
import { CYCLE_SCHEDULE_ID, ensureSchedules, SCHEDULE_IDS } from '../../worker/schedules';
import { mailTo } from '../support/mailbox';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { expectRecordsMatch } from '../support/records';
import { eventually } from '../support/eventually';
import { tokenFor, type TestDeps } from '../support/deps';
import { buildBundleFile, startWorkerChild } from '../support/workerProcess';

jest.setTimeout(240_000);

const DISTRICTS = ['district-zhangdian', 'district-zichuan', 'district-boshan', 'district-linzi', 'district-zhoucun', 'district-huantai', 'district-gaoqing', 'district-yiyuan', 'district-hightech', 'district-econdev', 'district-wenchanghu'];
const GROUPS = ['sg-economy', 'sg-democracy', 'sg-culture', 'sg-society', 'sg-party', 'sg-discipline', 'sg-rural', 'sg-soe'];
const reporter = (u: string) => (u.startsWith('district-') ? `${u}-deputy` : `${u}-liaison`);


describe('六个一 cycle (dev server)', () => {
  let deps: TestDeps;
  let harness: DevServerHarness;
  let client: Client;
  let app: Express;
  const started: string[] = [];
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    // A month's cycle legitimately takes one step per unit in a burst (19 reports, 19 scores): this test drives
    // more than the default per-workflow flood limit within a minute, so the limit is raised here.
    app = createApp({ db: deps.db, client, rateLimits: { perWorkflow: 1000 } });
    const people = ['dept-propaganda-head', 'ro-director', 'ro-inspector', 'ro-supervisor', 'district-zhangdian-head', 'district-boshan-director', 'district-zichuan-director', 'sg-economy-liaison', 'district-boshan-t1-head', 'city-mayor', 'district-zhangdian-director', 'district-zhangdian-deputy', 'dept-ndrc-head', 'dept-ndrc-liaison', 'dept-finance-liaison', ...[...DISTRICTS, ...GROUPS].map(reporter)];
    for (const who of people) tokens[who] = await tokenFor(deps.db, who);
  });

  // The workflow is the source of truth: every test ends with its record equal to it.
  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    // Leave the dev server quiet: the schedule and any cycle still running.
    // The worker started in the schedule test creates every schedule (worker/schedules.ts).
    for (const id of SCHEDULE_IDS) await client.schedule.getHandle(id).delete().catch(() => undefined);
    for (const id of started) await client.workflow.getHandle(id).terminate('test done').catch(() => undefined);
    await harness?.close();
  });

  it('the schedule exists once, fires at 00:00 on the 1st in Asia/Shanghai, and trigger() starts the month', async () => {
    // The worker process (worker/main.ts, what `npm start` runs) creates it as it starts.
    await client.schedule.getHandle(CYCLE_SCHEDULE_ID).delete().catch(() => undefined);
    const worker = await startWorkerChild(await buildBundleFile());
    await worker.proc.stop('SIGTERM');
    expect((await client.schedule.getHandle(CYCLE_SCHEDULE_ID).describe()).action.type).toBe('startWorkflow');
    await ensureSchedules(client); // idempotent: a second worker start changes nothing
    const ids: string[] = [];
    for await (const sch of client.schedule.list()) ids.push(sch.scheduleId);
    expect(ids.filter((id) => id === CYCLE_SCHEDULE_ID)).toHaveLength(1);

    const handle = client.schedule.getHandle(CYCLE_SCHEDULE_ID);
    const d = await handle.describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.action.type).toBe('startWorkflow');
    expect(d.info.nextActionTimes.length).toBeGreaterThan(0);
    for (const t of d.info.nextActionTimes) {
      // 00:00 Beijing time on the 1st = 16:00 UTC on the last day of the previous month.
      const local = new Date(t.getTime() + 8 * 3600_000);
      expect([local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()]).toEqual([1, 0, 0, 0]);
    }
    const nextMonth = shanghaiMonth(d.info.nextActionTimes[0]);
    expect(nextMonth > shanghaiMonth(new Date())).toBe(true);

    // Trigger now: the starter gives the current month's cycle its business id (the month read before and
    // after the trigger, in case the test runs across a month's end).
    const before = shanghaiMonth(new Date());
    await handle.trigger();
    const cycle = await eventually(() => deps.db.cycle.findFirst({ where: { id: { in: [before, shanghaiMonth(new Date())] } } }), (c) => !!c, 60_000);
    const month = cycle!.id;
    started.push(cycleWorkflowId(month));
    expect(cycle?.workflowId).toBe(cycleWorkflowId(month));
    const desc = await client.workflow.getHandle(cycleWorkflowId(month)).describe();
    expect(desc.type).toBe('cycleWorkflow');
    expect(desc.status.name).toBe('RUNNING');
    // Triggering again leaves the running month alone (no second cycle, no error).
    await handle.trigger();
    await new Promise((r) => setTimeout(r, 2000));
    const runs = async () => {
      const ids: string[] = [];
      for await (const w of client.workflow.list({ query: `WorkflowId = "${cycleWorkflowId(month)}"` })) ids.push(w.runId);
      return ids;
    };
    expect(await runs()).toHaveLength(1);

    // A finished month is never started again (第六条: one cycle a month): the ranking published and every
    // diagnosis filed, the month ends; a later trigger (or a catch-up) starts nothing.
    const cycleHandle = client.workflow.getHandle<typeof cycleWorkflow>(cycleWorkflowId(month));
    const ranked = await cycleHandle.executeUpdate(m.closeScoringUpdate, { args: [{ actor: { officialId: 'ro-director', unitId: 'reform-office' } }] });
    for (const d of ranked.diagnoses) {
      await cycleHandle.executeUpdate(m.fileDiagnosisUpdate, { args: [{ actor: { officialId: 'ro-inspector', unitId: 'reform-office' }, unitId: d.unitId, report: '落后原因：改革统筹力度不够。改进措施：建立周调度机制。' }] });
    }
    expect((await cycleHandle.result()).phase).toBe('DONE');
    const taken = (await handle.describe()).info.numActionsTaken;
    await handle.trigger();
    const info = await eventually(async () => (await handle.describe()).info, (i) => i.numActionsTaken > taken, 60_000);
    const starter = info.recentActions[info.recentActions.length - 1].action.workflow;
    const outcome = await client.workflow.getHandle<typeof cycleScheduleWorkflow>(starter.workflowId, starter.firstExecutionRunId).result();
    console.log(`[schedule] trigger after the month ${month} finished: ${JSON.stringify(outcome)}, runs of ${cycleWorkflowId(month)}: ${(await runs()).length}`);
    expect(outcome).toEqual({ month, started: false });
    expect(await runs()).toHaveLength(1);
  });

  it('a month through the API: reports, inspection, signatures, scores, ranking, briefing, publicity, diagnosis', async () => {
    // A June (a quarter month: team ratings, department leaders at the meeting) years ahead of today, clear of the
    // months other test files use; the dev server runs on the wall clock, so its dates stay in the future.
    const year = shanghaiYear(Date.now()) + CYCLE_YEARS.integration;
    const month = `${year}-06`;
    const base = `/api/cycles/${month}`;

    // The year's roadmap and indicator set (administrators only; bodies validated).
    const roadmap = { tasks: [{ code: `${year}-ZD-01`, unitId: 'district-zhangdian', title: '深化“放管服”改革一网通办', milestones: [{ month: 6, target: '上线企业开办一件事' }] }] };
    expect((await request(app).put(`/api/cycles/years/${year}/roadmap`).set(auth('district-zhangdian-deputy')).send(roadmap)).status).toBe(403);
    expect((await request(app).put(`/api/cycles/years/${year}/roadmap`).set(auth('ro-director')).send({ tasks: [{ code: 'x' }] })).status).toBe(400);
    expect((await request(app).put(`/api/cycles/years/${year}/roadmap`).set(auth('ro-director')).send(roadmap)).status).toBe(200);
    const indicators = {
      indicators: [
        { code: 'REPORT_ON_TIME', name: '按时报送月度调度情况', weight: 20, method: 'REPORT_ON_TIME', appliesTo: ['DISTRICT', 'SPECIAL_GROUP'] },
        { code: 'ISSUES', name: '督查发现问题', weight: 20, method: 'INSPECTION_ISSUES', appliesTo: ['DISTRICT', 'SPECIAL_GROUP'] },
        { code: 'INSPECTION', name: '改革举措落地见效', weight: 60, method: 'INSPECTOR', appliesTo: ['DISTRICT', 'SPECIAL_GROUP'] },
        { code: 'INFORMATIZATION', name: '信息化建设（加分项）', weight: 5, method: 'INSPECTOR', appliesTo: ['DISTRICT'], bonus: true },
      ],
    };
    expect((await request(app).put(`/api/cycles/years/${year}/indicators`).set(auth('ro-director')).send({ indicators: [{ ...indicators.indicators[0], method: 'GUESS' }] })).status).toBe(400);
    expect((await request(app).put(`/api/cycles/years/${year}/indicators`).set(auth('ro-director')).send(indicators)).status).toBe(200);

    // Start the month by hand (administrators only); starting again finds it.
    expect((await request(app).post('/api/cycles').set(auth('district-zhangdian-deputy')).send({ month })).status).toBe(403);
    expect((await request(app).post('/api/cycles').set(auth('ro-director')).send({ month: `${year}-13` })).status).toBe(400);
    const start = await request(app).post('/api/cycles').set(auth('ro-director')).send({ month, seed: 'api-test' });
    started.push(cycleWorkflowId(month));
    expect(start.status).toBe(201);
    expect(start.body.cycle.seed).toBe('api-test');
    // (第十条（二）: departments with open reform tasks join too; other test files' documents may leave some in the run's database.)
    expect(start.body.cycle.targetUnitIds.filter((id: string) => !id.startsWith('dept-'))).toHaveLength(19);
    expect((await request(app).post('/api/cycles').set(auth('ro-director')).send({ month })).status).toBe(200);

    // 一月一调度: the dispatch e-mail lists the unit's roadmap task.
    const isDispatch = (x: { subject: string }) => x.subject.includes('一月一调度') && x.subject.includes(String(year));
    const dispatch = (await eventually(() => mailTo('district-zhangdian-director@zibo.example.cn'), (ms) => ms.some(isDispatch))).find(isDispatch);
    expect(dispatch?.text).toContain('深化“放管服”改革一网通办');

    // Reports: own unit only; the body is validated; 文昌湖 never reports.
    expect((await request(app).post(`${base}/reports`).set(auth('district-zichuan-deputy')).send({ unitId: 'district-zhangdian', summary: '代报' })).status).toBe(403);
    expect((await request(app).post(`${base}/reports`).set(auth('district-zhangdian-deputy')).send({ summary: '' })).status).toBe(400);
    for (const u of [...DISTRICTS, ...GROUPS].filter((x) => x !== 'district-wenchanghu')) {
      const res = await request(app).post(`${base}/reports`).set(auth(reporter(u))).set('Idempotency-Key', `report-${month}-${u}`).send({ summary: '本月改革任务按计划推进', items: [{ taskCode: `${year}-ZD-01`, progress: '按节点推进', status: 'ON_TRACK' }] });
      expect(res.status).toBe(200);
      expect(res.body.report).toMatchObject({ unitId: u, onTime: true });
    }

    // 一月一督查: a "1+1+n" team; only inspectors record it; both parties sign, each for itself.
    // 第八条: every item names its content area; 第十条（三）: the grassroots opinions heard.
    const inspection = {
      unitId: 'district-boshan',
      teamName: '第一督查组',
      leaderId: 'ro-supervisor',
      reformOfficeIds: ['ro-inspector'],
      specialGroupId: 'sg-economy',
      departmentIds: ['dept-ndrc', 'dept-finance'],
      issues: [
        { title: '改革台账未按月更新', area: 'BASIC_WORK' },
        { title: '镇办改革任务推进不平衡', area: 'DOCUMENTS' },
      ],
      opinions: [{ unit: '博山区域城镇某村', text: '建议把改革任务分解到村' }],
    };
    expect((await request(app).post(`${base}/inspections`).set(auth('district-boshan-director')).send(inspection)).status).toBe(403);
    // The "n" of "1+1+n" are departments (第十条（一）): a district among them is bad input, its place named; nothing is
    // recorded (the inspection created next is the month's first).
    const notDepartment = await request(app).post(`${base}/inspections`).set(auth('ro-inspector')).send({ ...inspection, departmentIds: ['dept-ndrc', 'district-zichuan'] });
    expect(notDepartment.status).toBe(400);
    expect(notDepartment.body.error.details).toEqual([{ path: ['departmentIds', 1], message: 'district-zichuan is not a department' }]);
    // An item without its content area, or with one not of 第八条's five, is bad input, its place named.
    const noArea = await request(app).post(`${base}/inspections`).set(auth('ro-inspector')).send({ ...inspection, issues: [{ title: '改革台账未按月更新' }] });
    expect(noArea.status).toBe(400);
    expect(noArea.body.error.details.map((d: { path: unknown[] }) => d.path)).toEqual([['issues', 0, 'area']]);
    const badArea = await request(app).post(`${base}/inspections`).set(auth('ro-inspector')).send({ ...inspection, issues: [inspection.issues[0], { title: '其他问题', area: '其他' }] });
    expect(badArea.status).toBe(400);
    expect(badArea.body.error.details[0]).toMatchObject({ path: ['issues', 1, 'area'] });
    expect(badArea.body.error.details[0].message).toContain('第八条');
    const noText = await request(app).post(`${base}/inspections`).set(auth('ro-inspector')).send({ ...inspection, opinions: [{ unit: '某村' }] });
    expect(noText.status).toBe(400);
    expect(noText.body.error.details[0]).toMatchObject({ path: ['opinions', 0, 'text'] });
    const created = await request(app).post(`${base}/inspections`).set(auth('ro-inspector')).send(inspection);
    expect(created.status).toBe(201);
    expect(created.body.inspection.id).toBe(`${month}:insp-1`); // the refusals above recorded nothing
    expect(created.body.inspection.opinions).toEqual(inspection.opinions);
    const inspectionId = created.body.inspection.id as string;
    const sign = (who: string, party: string) => request(app).post(`${base}/inspections/${encodeURIComponent(inspectionId)}/sign`).set(auth(who)).send({ party });
    expect((await sign('district-zichuan-director', 'UNIT')).status).toBe(403);
    expect((await sign('ro-director', 'LEADER')).status).toBe(403); // not even an administrator signs for the team leader
    expect((await sign('district-boshan-director', 'UNIT')).status).toBe(200);
    expect((await sign('district-boshan-director', 'UNIT')).status).toBe(409);
    const signed = await sign('ro-supervisor', 'LEADER');
    expect(signed.status).toBe(200);
    expect(signed.body.inspection).toMatchObject({ unitSignedBy: 'district-boshan-director', leaderSignedBy: 'ro-supervisor' });
    // (The sink is shared by every test file of the run: match this month's mail only.)
    const isIssueList = (x: { subject: string }) => x.subject.startsWith(`【问题清单】${year}年6月`);
    const issueMail = await eventually(() => mailTo('district-boshan-director@zibo.example.cn'), (ms) => ms.some(isIssueList));
    expect(issueMail.find(isIssueList)?.text).toContain('改革台账未按月更新');

    // 第六条（四）(3): the reform office arranges an on-site promotion meeting in an advanced district ("适时": no timer).
    const promotion = { heldAt: `${year}-06-18T09:30:00+08:00`, districtId: 'district-zhangdian', shown: '企业开办“一件事”改革现场', attendeeUnitIds: ['district-boshan', 'district-yiyuan', 'dept-ndrc'] };
    const promote = (who: string, body: object) => request(app).post(`${base}/promotion-meetings`).set(auth(who)).send(body);
    expect((await promote('district-zhangdian-deputy', promotion)).status).toBe(403);
    const noShown = await promote('ro-director', { ...promotion, shown: undefined });
    expect(noShown.status).toBe(400);
    expect(noShown.body.error.details.map((d: { path: unknown[] }) => d.path)).toEqual([['shown']]);
    const unknownUnit = await promote('ro-director', { ...promotion, attendeeUnitIds: ['district-nowhere'] });
    expect(unknownUnit.status).toBe(400);
    expect(unknownUnit.body.error.details).toEqual([{ path: ['unitId'], message: 'unknown unit' }]);
    const notDistrict = await promote('ro-director', { ...promotion, districtId: 'sg-economy' });
    expect(notDistrict.status).toBe(409);
    expect(notDistrict.body.error.message).toContain('不是本月督导的区县');
    expect((await promote('ro-director', { ...promotion, heldAt: `${year}-07-02T09:30:00+08:00` })).status).toBe(409);
    expect((await request(app).get(base).set(auth('ro-director'))).body.promotionMeetings).toEqual([]);
    const promoted = await promote('ro-director', promotion);
    expect(promoted.status).toBe(201);
    expect(promoted.body.meeting).toMatchObject({ districtId: 'district-zhangdian', attendeeUnitIds: promotion.attendeeUnitIds, recordedBy: 'ro-director' });
    const isPromotion = (x: { subject: string }) => x.subject.startsWith(`【现场推进会】${year}年6月在张店区`);
    const invited = await eventually(() => mailTo('district-yiyuan-head@zibo.example.cn'), (ms) => ms.some(isPromotion));
    expect(invited.find(isPromotion)?.text).toContain('企业开办“一件事”改革现场');
    const withMeeting = await request(app).get(base).set(auth('district-zhangdian-deputy'));
    expect(withMeeting.body.promotionMeetings).toEqual([expect.objectContaining({ id: promoted.body.meeting.id, districtId: 'district-zhangdian', shown: promotion.shown })]);

    // 第六条（五）(3): a highlight recommended upward, recorded by the propaganda department or the reform office.
    const upward = { unitIds: ['district-zhangdian'], highlight: '企业开办“一件事”改革经验', channel: '改革信息专报', recipient: '省委改革办', sentAt: `${year}-06-10T10:00:00+08:00` };
    const recommend = (who: string, body: object) => request(app).post(`${base}/upward-recommendations`).set(auth(who)).send(body);
    expect((await recommend('district-zhangdian-deputy', upward)).status).toBe(403);
    const noRecipient = await recommend('ro-director', { ...upward, recipient: ' ' });
    expect(noRecipient.status).toBe(400);
    expect(noRecipient.body.error.details.map((d: { path: unknown[] }) => d.path)).toEqual([['recipient']]);
    expect((await recommend('ro-director', { ...upward, unitIds: ['sg-economy'] })).status).toBe(409);
    const recommended = await recommend('dept-propaganda-head', upward);
    expect(recommended.status).toBe(201);
    expect(recommended.body.recommendation).toMatchObject({ unitIds: ['district-zhangdian'], recipient: '省委改革办', recordedBy: 'dept-propaganda-head' });
    expect((await request(app).get(base).set(auth('district-zhangdian-deputy'))).body.upwardRecommendations).toHaveLength(1);

    // 一月一排名: inspector scores; an override needs an administrator and a reason.
    for (const u of [...DISTRICTS, ...GROUPS]) {
      const value = u === 'district-zhangdian' ? 58 : u === 'sg-rural' ? 55 : 45;
      const res = await request(app).post(`${base}/scores`).set(auth('ro-inspector')).send({ unitId: u, indicatorCode: 'INSPECTION', value });
      expect(res.status).toBe(201);
    }
    expect((await request(app).post(`${base}/scores`).set(auth('ro-inspector')).send({ unitId: 'district-linzi', indicatorCode: 'INSPECTION', value: 61 })).status).toBe(409);
    expect((await request(app).post(`${base}/scores`).set(auth('ro-inspector')).send({ unitId: 'sg-economy', indicatorCode: 'INFORMATIZATION', value: 3 })).status).toBe(409); // districts only
    expect((await request(app).post(`${base}/scores`).set(auth('district-zhangdian-deputy')).send({ unitId: 'district-zhangdian', indicatorCode: 'INSPECTION', value: 60 })).status).toBe(403);
    expect((await request(app).post(`${base}/scores`).set(auth('ro-inspector')).send({ unitId: 'district-linzi', indicatorCode: 'ISSUES', value: 10, override: true, reason: '问题清单外发现重大问题' })).status).toBe(403);
    expect((await request(app).post(`${base}/scores`).set(auth('ro-director')).send({ unitId: 'district-linzi', indicatorCode: 'ISSUES', value: 10, override: true })).status).toBe(400);
    expect((await request(app).post(`${base}/scores`).set(auth('ro-director')).send({ unitId: 'district-linzi', indicatorCode: 'ISSUES', value: 10, override: true, reason: '问题清单外发现重大问题' })).status).toBe(201);
    expect((await request(app).post(`${base}/scores`).set(auth('ro-inspector')).send({ unitId: 'district-zhangdian', indicatorCode: 'INFORMATIZATION', value: 5 })).status).toBe(201);

    // Quarterly: district heads rate the inspection teams.
    expect((await request(app).post(`${base}/team-ratings`).set(auth('sg-economy-liaison')).send({ teamName: '第一督查组', fairMethod: 9, fairOrder: 9, thorough: 9, clean: 9 })).status).toBe(403);
    expect((await request(app).post(`${base}/team-ratings`).set(auth('district-zhangdian-head')).send({ teamName: '第一督查组', fairMethod: 11, fairOrder: 9, thorough: 9, clean: 9 })).status).toBe(409); // scale 1–10 (policy)
    expect((await request(app).post(`${base}/team-ratings`).set(auth('district-zhangdian-head')).send({ teamName: '第一督查组', fairMethod: 9, fairOrder: 10, thorough: 8, clean: 10 })).status).toBe(201);

    // Nothing ranked yet.
    expect((await request(app).get(`${base}/ranking`).set(auth('district-zhangdian-deputy'))).status).toBe(404);
    expect((await request(app).post(`${base}/close`).set(auth('ro-inspector')).send({})).status).toBe(403);
    const closed = await request(app).post(`${base}/close`).set(auth('ro-director')).send({ note: '评分完毕' });
    expect(closed.status).toBe(200);
    expect((await request(app).post(`${base}/scores`).set(auth('ro-inspector')).send({ unitId: 'district-linzi', indicatorCode: 'INSPECTION', value: 50 })).status).toBe(409);
    expect((await request(app).post(`${base}/reports`).set(auth('district-wenchanghu-deputy')).send({ summary: '补报' })).status).toBe(409);

    const ranking = await request(app).get(`${base}/ranking`).set(auth('district-zhangdian-deputy'));
    expect(ranking.status).toBe(200);
    const d = ranking.body.districts as Array<{ unitId: string; rank: number; total: number; items: Array<{ code: string; value: number; facts: string; rule: string }>; annual: { figure: number } }>;
    expect(d[0]).toMatchObject({ unitId: 'district-zhangdian', rank: 1, total: 103 }); // 20 + 20 + 58 + 5 bonus
    expect(d[d.length - 1]).toMatchObject({ unitId: 'district-wenchanghu' });
    expect(d[d.length - 1].items.find((i) => i.code === 'REPORT_ON_TIME')?.facts).toContain('未报送');
    expect(d.find((x) => x.unitId === 'district-boshan')!.items.find((i) => i.code === 'ISSUES')).toMatchObject({ value: 18 });
    expect(d.find((x) => x.unitId === 'district-linzi')!.items.find((i) => i.code === 'ISSUES')?.facts).toContain('问题清单外发现重大问题');
    expect(d[0].annual.figure).toBeCloseTo(51.5, 5); // 第六条（三）(1): 50% of the month's 103
    expect(ranking.body.specialGroups[0]).toMatchObject({ unitId: 'sg-rural', rank: 1 });
    expect(ranking.body.tieRule).toContain('并列');
    expect(ranking.body.speakers.typical).toEqual(['district-zhangdian', 'sg-rural']);
    expect(ranking.body.speakers.commitment).toEqual(['district-wenchanghu']);
    expect(ranking.body.teams[0]).toMatchObject({ teamName: '第一督查组', rank: 1, raters: 1 });

    // 一月一通报: the printable briefing; the meeting notice reaches department leaders in a quarter month.
    const briefing = await request(app).get(`${base}/briefing`).set(auth('district-zhangdian-deputy'));
    expect(briefing.status).toBe(200);
    expect(briefing.headers['content-type']).toMatch(/text\/html/);
    expect(briefing.text).toContain('督导情况通报');
    expect(briefing.text).toContain('典型发言');
    expect(briefing.text).toContain('博山区：【基础业务开展情况】改革台账未按月更新');
    expect(briefing.text).toContain('督查内容覆盖情况');
    expect(briefing.text).toContain('听取博山区域城镇某村意见：建议把改革任务分解到村');
    expect(briefing.text).toContain('现场观摩：企业开办“一件事”改革现场');
    const isMeeting = (x: { subject: string }) => x.subject.includes(`${year}年6月改革督导情况通报会`);
    const meeting = await eventually(() => mailTo('dept-ndrc-leader@zibo.example.cn'), (ms) => ms.some(isMeeting));
    expect(meeting.find(isMeeting)?.text).toContain('张店区');
    const distributed = await eventually(() => mailTo('city-secretary@zibo.example.cn'), (ms) => ms.some((x) => x.subject.startsWith('【督导情况通报】') && x.subject.includes(String(year))));
    expect(distributed.some((x) => x.subject.startsWith('【督导情况通报】'))).toBe(true);
    // 一月一宣传 and 一月一会诊.
    const publicity = await eventually(() => mailTo('dept-propaganda-head@zibo.example.cn'), (ms) => ms.some((x) => x.subject.includes(String(year)) && x.subject.includes('一月一宣传')));
    expect(publicity.find((x) => x.subject.includes(String(year)) && x.subject.includes('一月一宣传'))?.text).toContain('张店区');
    const isVisit = (x: { subject: string }) => x.subject.startsWith(`【一月一会诊】${year}年6月`);
    const visit = await eventually(() => mailTo('district-wenchanghu-head@zibo.example.cn'), (ms) => ms.some(isVisit));
    expect(visit.find(isVisit)?.text).toContain('调研会诊');
    // Each person is notified in the in-app inbox too.
    const inbox = await request(app).get('/api/inbox').set(auth('district-wenchanghu-deputy'));
    const inboxKinds = (inbox.body.items as Array<{ notice: { kind: string; subjectId: string } }>).filter((i) => i.notice.subjectId === month).map((i) => i.notice.kind);
    expect(inboxKinds).toEqual(expect.arrayContaining(['DISPATCH', 'INSPECTION', 'DIAGNOSIS_VISIT']));

    // The diagnosis report: the visiting team (reform office) files it, once; it goes to the city leaders.
    const file = (who: string, unitId: string) => request(app).post(`${base}/diagnoses/${unitId}/report`).set(auth(who)).send({ report: '落后原因：调度报送不及时，改革统筹不够。改进措施：明确专人，每周调度。' });
    expect((await file('district-wenchanghu-deputy', 'district-wenchanghu')).status).toBe(403);
    expect((await file('ro-inspector', 'district-zhangdian')).status).toBe(409);
    expect((await file('ro-inspector', 'district-wenchanghu')).status).toBe(200);
    const isReport = (x: { subject: string }) => x.subject.startsWith(`【会诊报告】${year}年6月`);
    const report = await eventually(() => mailTo('city-mayor@zibo.example.cn'), (ms) => ms.some(isReport));
    expect(report.find(isReport)?.text).toContain('每周调度');
    const result = await client.workflow.getHandle(cycleWorkflowId(month)).result();
    expect(result.phase).toBe('DONE');
    expect((await file('ro-inspector', 'district-wenchanghu')).status).toBe(409);

    // Rows: scores with explanations, the signed inspection, the audit of every change.
    expect(await deps.db.cycleScore.count({ where: { cycleId: month, unitKind: { not: 'DEPARTMENT' } } })).toBe(19);
    expect(await deps.db.cycleReport.count({ where: { cycleId: month } })).toBe(18);
    expect(await deps.db.obligation.count({ where: { workflowId: cycleWorkflowId(month), status: 'OPEN' } })).toBe(0);
    const audit = await deps.db.auditLog.findMany({ where: { path: `${base}/scores`, status: 201 } });
    expect(audit.some((a) => a.officialId === 'ro-director')).toBe(true); // the override is audited
    // The row is the workflow's projection: under a cold cache it may trail the result by a moment.
    const list = await eventually(
      () => request(app).get(`/api/cycles?year=${year}`).set(auth('district-zhangdian-deputy')),
      (r) => r.body.items?.[0]?.phase === 'DONE',
    );
    expect(list.body.items).toEqual([expect.objectContaining({ id: month, phase: 'DONE', phaseLabel: '本月督导已完成' })]);
    const detail = await request(app).get(base).set(auth('district-zhangdian-deputy'));
    expect(detail.status).toBe(200);
    expect(detail.body.phase).toBe('DONE');
    expect(detail.body.inspections[0]).toMatchObject({ specialGroupId: 'sg-economy', departmentIds: ['dept-ndrc', 'dept-finance'] });

    // Inspection findings (issue #15): the issue list of 博山 and the diagnosis report of 文昌湖 are read by
    // the unit concerned, the inspecting team, the reform office and the city leaders — nobody else.
    const findings = async (who: string) => {
      const r = await request(app).get(base).set(auth(who));
      expect(r.status).toBe(200);
      const i = r.body.inspections[0];
      const dx = (r.body.diagnoses as Array<{ unitId: string; report?: string | null }>).find((x) => x.unitId === 'district-wenchanghu');
      return `${i.issues ? 'issues' : '-'}/${dx?.report ? 'report' : '-'}`;
    };
    const seen: Record<string, string> = {};
    for (const who of ['district-zhangdian-deputy', 'district-boshan-t1-head', 'district-boshan-director', 'district-wenchanghu-deputy', 'sg-economy-liaison', 'ro-inspector', 'ro-director', 'city-mayor']) {
      seen[who] = await findings(who);
    }
    process.stdout.write(`[cycles] who reads which findings (issue list of district-boshan / diagnosis of district-wenchanghu): ${JSON.stringify(seen)}\n`);
    expect(seen).toEqual({
      'district-zhangdian-deputy': '-/-', // another district
      'district-boshan-t1-head': '-/-', // a township of the inspected district
      'district-boshan-director': 'issues/-', // the inspected unit
      'district-wenchanghu-deputy': '-/report', // the diagnosed unit
      'sg-economy-liaison': 'issues/-', // the team's special group
      'ro-inspector': 'issues/report', // the reform office
      'ro-director': 'issues/report',
      'city-mayor': 'issues/report', // a city leader
    });

    // The administrators' views know the family: search by family and the labelled timeline.
    const found = await eventually(
      () => request(app).get('/api/admin/workflows?family=cycle&unit=district-wenchanghu').set(auth('ro-director')),
      (r) => r.status === 200 && r.body.items.some((i: { workflowId: string }) => i.workflowId === cycleWorkflowId(month)),
    );
    expect(found.body.items.find((i: { workflowId: string }) => i.workflowId === cycleWorkflowId(month))).toMatchObject({ family: 'cycle' });
    const timeline = await request(app).get(`/api/admin/workflows/${encodeURIComponent(cycleWorkflowId(month))}/timeline`).set(auth('ro-director'));
    expect(timeline.status).toBe(200);
    expect(JSON.stringify(timeline.body)).toContain('问题清单签字确认');
    expect(JSON.stringify(timeline.body)).toContain('会诊报告');
    expect(JSON.stringify(timeline.body)).toContain('安排现场推进会');
    expect(JSON.stringify(timeline.body)).toContain('向上推介改革工作亮点');
  });

  it('第十条（二） departments carrying reform tasks, 第十条（一） mutual inspection through the API: 403, 400, 409, then the department ranking and the mutual inspection in the briefing', async () => {
    const year = shanghaiYear(Date.now()) + CYCLE_YEARS.integration;
    const month = `${year}-08`;
    const base = `/api/cycles/${month}`;
    // 市发展改革委 leads a superior document with an open obligation; 市财政局 holds an open ledger task.
    const at = new Date(`${year}-08-10T00:00:00+08:00`);
    const doc = await deps.db.document.create({
      data: { docNumber: `鲁改发〔${month}〕API号`, level: 'PROVINCIAL', title: '部门牵头测试文件', issuedAt: at, receivedAt: at, workflowId: `test-doc-api-${month}`, state: 'ASSIGNED', leadUnitId: 'dept-ndrc', policyVersion: 'test' },
    });
    await deps.db.obligation.create({ data: { key: `test-api:${month}:ndrc`, workflowId: 'test-api-dept', family: 'document', subjectId: doc.id, title: '牵头交办上级文件', rule: '第五条', unitId: 'dept-ndrc', dueAt: at, status: 'OPEN' } });
    await deps.db.ledgerTask.create({ data: { id: `test-api-${month}-1`, documentId: doc.id, title: '制定财政支持办法', unitId: 'dept-finance', ownerId: 'dept-finance-liaison', dueAt: at, status: 'OPEN' } });
    try {
      const start = await request(app).post('/api/cycles').set(auth('ro-director')).send({ month, seed: 'api-dept' });
      started.push(cycleWorkflowId(month));
      expect(start.status).toBe(201);
      expect(start.body.cycle.targetUnitIds).toEqual(expect.arrayContaining(['dept-ndrc', 'dept-finance']));
      expect(start.body.cycle.targetUnitIds).not.toContain('dept-gov-office'); // no open task (no test file gives it one)

      // A department reports in the dispatch like a district.
      const reported = await request(app).post(`${base}/reports`).set(auth('dept-finance-liaison')).send({ summary: '财政支持办法起草中', items: [] });
      expect(reported.status).toBe(200);
      expect(reported.body.report).toMatchObject({ unitId: 'dept-finance', onTime: true });

      // The reform office inspects 市发展改革委; its head and the team leader sign.
      const deptInspection = await request(app).post(`${base}/inspections`).set(auth('ro-inspector')).send({ unitId: 'dept-ndrc', teamName: '第二督查组', leaderId: 'ro-supervisor', reformOfficeIds: ['ro-inspector'], issues: [{ title: '牵头文件交办滞后', area: 'DOCUMENTS' }] });
      expect(deptInspection.status).toBe(201);
      const signDept = (who: string, party: string) => request(app).post(`${base}/inspections/${encodeURIComponent(deptInspection.body.inspection.id)}/sign`).set(auth(who)).send({ party });
      expect((await signDept('dept-ndrc-head', 'UNIT')).status).toBe(200);
      expect((await signDept('ro-supervisor', 'LEADER')).status).toBe(200);

      // 第十条（一）: 博山区's reform office inspects 张店区.
      const mutual = { unitId: 'district-zhangdian', peerUnitId: 'district-boshan', teamName: '博山区互督组', leaderId: 'district-boshan-director', issues: [{ title: '改革台账更新不及时', area: 'BASIC_WORK' }] };
      const post = (who: string, body: object) => request(app).post(`${base}/inspections`).set(auth(who)).send(body);
      // 403: a department's liaison, a district head (not its reform office), a reform-office inspector for a peer.
      expect((await post('dept-ndrc-liaison', { ...mutual, unitId: 'dept-finance', peerUnitId: 'dept-ndrc', leaderId: 'dept-ndrc-liaison' })).status).toBe(403);
      expect((await post('district-zhangdian-head', mutual)).status).toBe(403);
      expect((await post('ro-inspector', mutual)).status).toBe(403);
      // 400: the leader is not of the peer unit; a top-down inspection without reform-office members.
      const badLeader = await post('district-boshan-director', { ...mutual, leaderId: 'ro-supervisor' });
      expect(badLeader.status).toBe(400);
      expect(badLeader.body.error.details).toEqual([{ path: ['leaderId'], message: 'ro-supervisor is not of district-boshan' }]);
      const noMembers = await post('ro-inspector', { ...mutual, peerUnitId: undefined, leaderId: 'ro-supervisor' });
      expect(noMembers.status).toBe(400);
      expect(noMembers.body.error.details.map((d: { path: unknown[] }) => d.path)).toEqual([['reformOfficeIds']]);
      // 409 with the reason: 张店区 inspecting itself; 淄川区 recording 博山区's inspection.
      const self = await post('district-zhangdian-director', { ...mutual, peerUnitId: 'district-zhangdian', leaderId: 'district-zhangdian-director' });
      expect(self.status).toBe(409);
      expect(self.body.error.message).toContain('互督互查不能由被督查单位自己开展：张店区不能督查本单位');
      const notPeer = await post('district-zichuan-director', mutual);
      expect(notPeer.status).toBe(409);
      expect(notPeer.body.error.message).toContain('只有博山区可以登记本单位开展的互督互查');
      const created = await post('district-boshan-director', mutual);
      expect(created.status).toBe(201);
      expect(created.body.inspection).toMatchObject({ unitId: 'district-zhangdian', peerUnitId: 'district-boshan', reformOfficeIds: [] });
      expect(created.body.inspection.id).toBe(`${month}:insp-2`); // the refusals recorded nothing
      const sign = (who: string, party: string) => request(app).post(`${base}/inspections/${encodeURIComponent(created.body.inspection.id)}/sign`).set(auth(who)).send({ party });
      expect((await sign('district-zhangdian-deputy', 'UNIT')).status).toBe(200);
      expect((await sign('district-boshan-director', 'LEADER')).status).toBe(200);
      // The inspecting peer reads its list in the month's detail.
      const detail = await eventually(() => request(app).get(base).set(auth('district-boshan-director')), (r) => r.body.inspections?.length === 2);
      expect(detail.body.inspections.find((i: { id: string }) => i.id === created.body.inspection.id)).toMatchObject({ peerUnitId: 'district-boshan', issues: mutual.issues });

      // The ranking: the departments in their own table; a district's indicator refused for a department.
      expect((await request(app).post(`${base}/scores`).set(auth('ro-inspector')).send({ unitId: 'dept-ndrc', indicatorCode: 'INSPECTION', value: 30 })).status).toBe(409);
      const closed = await request(app).post(`${base}/close`).set(auth('ro-director')).send({});
      expect(closed.status).toBe(200);
      const departments = closed.body.departments as Array<{ unitId: string; rank: number; items: Array<{ code: string; value: number }> }>;
      expect(departments.map((u) => u.unitId)).toEqual(expect.arrayContaining(['dept-ndrc', 'dept-finance']));
      expect(departments.find((u) => u.unitId === 'dept-ndrc')!.items.find((i) => i.code === 'DEPT_ISSUES')!.value).toBe(14);
      expect(departments.find((u) => u.unitId === 'dept-finance')!.rank).toBeLessThan(departments.find((u) => u.unitId === 'dept-ndrc')!.rank);
      expect(closed.body.districts.some((u: { unitId: string }) => u.unitId.startsWith('dept-'))).toBe(false);
      expect(closed.body.departmentTieRule).toContain('牵头文件按期办理');
      const ranking = await request(app).get(`${base}/ranking`).set(auth('dept-ndrc-head'));
      expect(ranking.body.departments).toEqual(closed.body.departments);
      const briefing = await request(app).get(`${base}/briefing`).set(auth('dept-ndrc-head'));
      expect(briefing.text).toContain('（三）承担改革任务的市直部门');
      expect(briefing.text).toContain('博山区督查张店区（博山区互督组，问题清单已双方签字，1项问题）');
      // Finish the month.
      const { diagnoses } = (await request(app).get(base).set(auth('ro-director'))).body as { diagnoses: Array<{ unitId: string }> };
      expect(diagnoses.some((d) => d.unitId.startsWith('dept-'))).toBe(false); // 一月一会诊 is the last district's
      for (const d of diagnoses) {
        expect((await request(app).post(`${base}/diagnoses/${d.unitId}/report`).set(auth('ro-inspector')).send({ report: '落后原因：改革统筹不够。改进措施：每周调度。' })).status).toBe(200);
      }
      expect((await client.workflow.getHandle(cycleWorkflowId(month)).result()).phase).toBe('DONE');
    } finally {
      await deps.db.ledgerTask.deleteMany({ where: { documentId: doc.id } });
      await deps.db.document.delete({ where: { id: doc.id } });
      await deps.db.obligation.deleteMany({ where: { workflowId: 'test-api-dept' } });
    }
  });
});
