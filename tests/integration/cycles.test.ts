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
    const people = ['ro-director', 'ro-inspector', 'ro-supervisor', 'district-zhangdian-head', 'district-boshan-director', 'district-zichuan-director', 'sg-economy-liaison', 'district-boshan-t1-head', 'city-mayor', ...[...DISTRICTS, ...GROUPS].map(reporter)];
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
    expect(start.body.cycle.targetUnitIds).toHaveLength(19);
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
    const inspection = { unitId: 'district-boshan', teamName: '第一督查组', leaderId: 'ro-supervisor', reformOfficeIds: ['ro-inspector'], specialGroupId: 'sg-economy', departmentIds: ['dept-ndrc', 'dept-finance'], issues: [{ title: '改革台账未按月更新' }, { title: '镇办改革任务推进不平衡' }] };
    expect((await request(app).post(`${base}/inspections`).set(auth('district-boshan-director')).send(inspection)).status).toBe(403);
    // The "n" of "1+1+n" are departments (第十条（一）): a district among them is bad input, its place named; nothing is
    // recorded (the inspection created next is the month's first).
    const notDepartment = await request(app).post(`${base}/inspections`).set(auth('ro-inspector')).send({ ...inspection, departmentIds: ['dept-ndrc', 'district-zichuan'] });
    expect(notDepartment.status).toBe(400);
    expect(notDepartment.body.error.details).toEqual([{ path: ['departmentIds', 1], message: 'district-zichuan is not a department' }]);
    const created = await request(app).post(`${base}/inspections`).set(auth('ro-inspector')).send(inspection);
    expect(created.status).toBe(201);
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
    expect(briefing.text).toContain('改革台账未按月更新');
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
    expect(await deps.db.cycleScore.count({ where: { cycleId: month } })).toBe(19);
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
  });
});
