/**
 * The monthly 六个一 cycle (第六条) on the time-skipping server with the real
 * policy durations, the real activities, the run's PostgreSQL database and the
 * SMTP sink: a whole month with every step, a unit that never reports, ties,
 * the three-in-a-row rule, the quarter's attendees and the annual 50% figure.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { cycleDetail } from '../../api/routes/cycles';
import { cycleWorkflowId } from '../../common/ids';
import { defaultPolicy, type Policy } from '../../common/policy';
import { TASK_QUEUE } from '../../common/taskQueues';
import { seed } from '../../prisma/seed';
import * as m from '../../workflows/cycle/messages';
import { DEFAULT_INDICATORS, drawTargets, monthStart } from '../../workflows/cycle/state';
import { cycleWorkflow } from '../../workflows/cycle/workflow';
import { WORKFLOWS_PATH } from '../../worker/createWorker';
import { type TestDeps } from '../support/deps';
import { mailTo } from '../support/mailbox';
import { startTimeSkippingWorker, type TimeSkippingHarness, resultInRealTime, terminateQuietly } from '../support/timeSkipping';
import { CYCLE_YEARS, shanghai, shanghaiYear, sleepUntil } from '../support/testClock';
import { admin } from '../support/scenarios';
import { formatShanghai } from '../../common/policy/duration';

/**
 * 第十条（二）: a department joins a month while it carries an open reform task, which other test files' documents
 * leave behind in the run's database; the tests of districts and groups keep departments out, the department
 * test at the end turns them on (the policy's default).
 */
const basePolicy: Policy = { ...defaultPolicy, cycle: { ...defaultPolicy.cycle, departments: { ...defaultPolicy.cycle.departments, enabled: false } } };
const inspector: m.Actor = { officialId: 'ro-inspector', unitId: 'reform-office' };
const DAY = 24 * 3600_000;

describe('六个一 cycle (time-skipping)', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;
  let districts: string[];
  let groups: string[];
  let year0: number;

  beforeAll(async () => {
    harness = await startTimeSkippingWorker();
    ({ env, deps } = harness);
    // Months relative to the test clock's year, in the order the tests run: the clock only moves forward,
    // and each month starts at 00:00 on its 1st, as the schedule starts it. Years well ahead of the clock's
    // stay clear of the months other test files use.
    year0 = shanghaiYear(await env.currentTimeMs()) + CYCLE_YEARS.timeSkipping;
    await seed(deps.db); // idempotent: the organisation the cycle supervises
    districts = (await deps.db.unit.findMany({ where: { kind: 'DISTRICT' }, orderBy: { id: 'asc' } })).map((u) => u.id);
    groups = (await deps.db.unit.findMany({ where: { kind: 'SPECIAL_GROUP' }, orderBy: { id: 'asc' } })).map((u) => u.id);
    // The years of the ranking tests get an indicator set of their own (configurable data, 第六条（三）) without
    // the fact-based checkpoints, so document and ledger rows of other test files cannot move their totals.
    const indicators = DEFAULT_INDICATORS.filter((i) => i.method !== 'DOCUMENTS_ON_TIME' && i.method !== 'LEDGER_CLOSED');
    for (const year of [year0, year0 + 1]) {
      await deps.db.cycleIndicatorSet.upsert({ where: { year }, create: { year, body: indicators as never }, update: { body: indicators as never } });
    }
  });

  /** Fact rows a test inserts are removed after it: later months would count an open ledger task as overdue. */
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  afterAll(() => harness?.close());

  async function start(month: string, policy: Policy = basePolicy): Promise<WorkflowHandle<typeof cycleWorkflow>> {
    const handle = await env.client.workflow.start(cycleWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: cycleWorkflowId(month),
      args: [{ version: 1, month, policy, seed: `seed-${month}` }],
    });
    await settle(handle);
    return handle;
  }

  /** A query is answered after every task up to the current (skipped) time. */
  async function settle(handle: WorkflowHandle<typeof cycleWorkflow>): Promise<m.CycleView> {
    for (;;) {
      const v = await handle.query(m.cycleStateQuery);
      if (v.units.length) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Retries an assertion until activities started by the last step have finished (queries do not wait for them). */
  async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await check();
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  const kinds = async (month: string) =>
    (await deps.db.notice.findMany({ where: { subjectType: 'cycle', subjectId: month }, orderBy: { createdAt: 'asc' } })).map((n) => n.kind);
  const notices = (month: string, kind: string) =>
    deps.db.notice.findMany({ where: { subjectType: 'cycle', subjectId: month, kind }, include: { recipients: true }, orderBy: { createdAt: 'asc' } });

  const report = (h: WorkflowHandle<typeof cycleWorkflow>, unitId: string) =>
    h.executeUpdate(m.submitReportUpdate, { args: [{ actor: { officialId: `${unitId}-liaison`, unitId }, unitId, summary: '本月改革任务按计划推进', items: [{ taskCode: 'T1', progress: '已完成阶段目标', status: 'ON_TRACK' }] }] });
  const inspectorScore = (h: WorkflowHandle<typeof cycleWorkflow>, unitId: string, value: number) =>
    h.executeUpdate(m.enterScoreUpdate, { args: [{ actor: inspector, unitId, indicatorCode: 'INSPECTION', value, override: false, reason: '实地督查' }] });

  /** Publishes the ranking now and completes the diagnosis, so the next month's cycle sees this one's ranking. */
  async function closeMonth(h: WorkflowHandle<typeof cycleWorkflow>): Promise<m.CycleView> {
    const v = await h.executeUpdate(m.closeScoringUpdate, { args: [{ actor: admin }] });
    for (const d of v.diagnoses) {
      await h.executeUpdate(m.fileDiagnosisUpdate, { args: [{ actor: inspector, unitId: d.unitId, report: '落后原因：改革统筹力度不够。改进措施：建立周调度机制。' }] });
    }
    return resultInRealTime(env, h);
  }

  it('three cycles: a special group last three months in a row speaks; quarter month; the annual 50% figure', async () => {
    const totals: Record<string, number> = {};
    const [jan, feb, mar] = [1, 2, 3].map((mo) => `${year0}-0${mo}`);
    for (const [i, month] of [jan, feb, mar].entries()) {
      await sleepUntil(env, monthStart(month));
      const h = await start(month);
      // Started at 00:00 on the 1st, as the schedule starts it: report due by the end of the 5th, scoring closed at the end of the 25th.
      const started = await settle(h);
      expect(formatShanghai(started.reportDueAt)).toBe(`${year0}年${i + 1}月5日 24:00`);
      expect(formatShanghai(started.scoringAt)).toBe(`${year0}年${i + 1}月25日 24:00`);
      for (const u of [...districts, ...groups]) {
        // 张店区: 40, 30, 20 over the three months; 沂源县 always last; 国资国企组 always last among the groups.
        const value = u === 'district-zhangdian' ? 40 - 10 * i : u === 'district-yiyuan' || u === 'sg-soe' ? 0 : 25;
        await inspectorScore(h, u, value);
      }
      if (month === mar) {
        // 第六条（三）(2): the quarter's team rating by district heads; a non-district is refused.
        await h.executeUpdate(m.rateTeamUpdate, { args: [{ actor: { officialId: 'district-zhangdian-head', unitId: 'district-zhangdian' }, teamName: '第一督查组', fairMethod: 9, fairOrder: 9, thorough: 8, clean: 10 }] });
        await h.executeUpdate(m.rateTeamUpdate, { args: [{ actor: { officialId: 'district-boshan-head', unitId: 'district-boshan' }, teamName: '第二督查组', fairMethod: 10, fairOrder: 10, thorough: 10, clean: 10 }] });
        await expect(h.executeUpdate(m.rateTeamUpdate, { args: [{ actor: { officialId: 'sg-soe-leader', unitId: 'sg-soe' }, teamName: '第一督查组', fairMethod: 9, fairOrder: 9, thorough: 9, clean: 9 }] })).rejects.toThrow();
      } else {
        await expect(h.executeUpdate(m.rateTeamUpdate, { args: [{ actor: { officialId: 'district-zhangdian-head', unitId: 'district-zhangdian' }, teamName: '第一督查组', fairMethod: 9, fairOrder: 9, thorough: 9, clean: 9 }] })).rejects.toThrow();
      }
      const done = await closeMonth(h);
      totals[month] = done.ranking!.districts.find((x) => x.unitId === 'district-zhangdian')!.total;
      const commitment = done.ranking!.speakers.commitment;
      expect(commitment).toContain('district-yiyuan');
      // Only in the third month has 国资国企组 been last three times in a row.
      expect(commitment.includes('sg-soe')).toBe(month === mar);
    }

    // 第六条（三）(1): the running annual figure is 50% of the mean monthly score.
    const row = await deps.db.cycleScore.findUniqueOrThrow({ where: { cycleId_unitId: { cycleId: mar, unitId: 'district-zhangdian' } } });
    const mean = (totals[jan] + totals[feb] + totals[mar]) / 3;
    expect(row.monthsCounted).toBe(3);
    expect(row.annualAverage).toBeCloseTo(mean, 2);
    expect(row.annualFigure).toBeCloseTo(mean * 0.5, 2);
    const sg = await deps.db.cycleScore.findUniqueOrThrow({ where: { cycleId_unitId: { cycleId: mar, unitId: 'sg-economy' } } });
    expect(sg.annualFigure).toBeNull(); // only districts' scores count toward the year-end assessment

    // Quarter month: department leaders in charge attend; the teams are ranked.
    const meeting = (await notices(mar, 'MEETING'))[0];
    expect(meeting.recipients.map((r) => r.officialId)).toContain('dept-ndrc-leader');
    expect((await notices(feb, 'MEETING'))[0].recipients.some((r) => r.officialId.startsWith('dept-'))).toBe(false);
    expect((await notices(mar, 'TEAM_RATING_CALL'))[0].recipients.map((r) => r.officialId)).toContain('district-zhangdian-head');
    const cycle = await deps.db.cycle.findUniqueOrThrow({ where: { id: mar } });
    expect((cycle.teamRanking as Array<{ teamName: string; rank: number }>).map((t) => [t.teamName, t.rank])).toEqual([['第二督查组', 1], ['第一督查组', 2]]);
    expect(cycle.briefingHtml).toContain('区县对市督查组季度测评');
  }, 600_000);
  it("a catch-up started a day late keeps the month's dates: the month counts from its 1st", async () => {
    const month = `${year0}-06`;
    await sleepUntil(env, shanghai(year0, 6, 2, 10, 0));
    const h = await start(month);
    const v = await settle(h);
    expect(formatShanghai(v.startedAt)).toBe(`${year0}年6月2日 10:00`);
    expect(formatShanghai(v.reportDueAt)).toBe(`${year0}年6月5日 24:00`);
    expect(formatShanghai(v.scoringAt)).toBe(`${year0}年6月25日 24:00`);
    const dispatch = await eventually(async () => {
      const n = await notices(month, 'DISPATCH');
      expect(n).toHaveLength(19);
      return n;
    });
    expect(dispatch[0].body).toContain(`起算事件：月度调度启动（${year0}年6月1日 00:00）`);
    expect(dispatch[0].body).toContain(`计算截止时间：${year0}年6月5日 24:00`);
    // The reminder the day before the report is due still comes on the 5th.
    await sleepUntil(env, shanghai(year0, 6, 5).getTime() - 60_000);
    await settle(h);
    expect(await notices(month, 'REPORT_REMINDER')).toHaveLength(0);
    await sleepUntil(env, shanghai(year0, 6, 5).getTime() + 60_000);
    await eventually(async () => expect((await notices(month, 'REPORT_REMINDER')).length).toBe(19));
    await terminateQuietly(env, h.workflowId);
  });

  it('ties: broken by the stated indicators, else shared; tied first-ranked both speak', async () => {
    const month = `${year0 + 1}-05`;
    await sleepUntil(env, monthStart(month));
    const h = await start(month);
    // 临淄区 reports late (REPORT_ON_TIME 5) but scores 40; 博山区 on time and 35: equal totals (55), 博山区 ahead by the tie rule.
    for (const u of [...districts, ...groups].filter((u) => u !== 'district-linzi')) await report(h, u);
    for (const u of [...districts, ...groups]) {
      const value = { 'district-zhangdian': 40, 'district-zichuan': 40, 'district-linzi': 40, 'district-boshan': 35 }[u] ?? 20;
      await inspectorScore(h, u, value);
    }
    await env.sleep(6 * DAY);
    await report(h, 'district-linzi');
    const done = await closeMonth(h);
    expect(done.indicators.map((i) => i.code)).toEqual(['REPORT_ON_TIME', 'ISSUES', 'INSPECTION', 'INFORMATIZATION']); // the year's set
    const d = done.ranking!.districts;
    const rank = (id: string) => d.find((x) => x.unitId === id)!.rank;
    expect(rank('district-zhangdian')).toBe(1);
    expect(rank('district-zichuan')).toBe(1); // equal on every compared item: shared
    expect(rank('district-boshan')).toBe(3);
    expect(rank('district-linzi')).toBe(4);
    expect(d.find((x) => x.unitId === 'district-linzi')!.total).toBe(d.find((x) => x.unitId === 'district-boshan')!.total);
    expect(done.ranking!.tieRule).toContain('按时报送月度调度情况');
    expect(done.ranking!.speakers.typical).toEqual(expect.arrayContaining(['district-zhangdian', 'district-zichuan']));
    // The seven tied last districts are all visited.
    expect(done.diagnoses.length).toBe(7);
    // The recorded history replays without nondeterminism (concurrent notices, timers, updates).
    await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, await h.fetchHistory(), h.workflowId);
  }, 300_000);

  it('a random sample of targets (seed 002), drawn in the workflow from a recorded seed, reproducible', async () => {
    const month = `${year0 + 1}-07`;
    await sleepUntil(env, monthStart(month));
    const policy: Policy = { ...basePolicy, cycle: { ...basePolicy.cycle, inspection: { mode: 'SAMPLE', districts: 3, specialGroups: 2 } } };
    // No seed given: the workflow draws one (uuid4, deterministic in workflow code) and records it.
    const h = await env.client.workflow.start(cycleWorkflow, { taskQueue: TASK_QUEUE, workflowId: cycleWorkflowId(month), args: [{ version: 1, month, policy }] });
    const v = await settle(h);
    expect(v.targets).toHaveLength(5);
    expect(v.targets).toEqual(drawTargets(v.units, policy.cycle.inspection, v.seed));
    const row = await eventually(() => deps.db.cycle.findUniqueOrThrow({ where: { id: month } }));
    expect(row.seed).toBe(v.seed);
    expect(row.targetUnitIds).toEqual(v.targets);
    const outside = [...districts, ...groups].find((u) => !v.targets.includes(u))!;
    await expect(
      h.executeUpdate(m.createInspectionUpdate, { args: [{ actor: inspector, unitId: outside, teamName: '第二督查组', leaderId: 'ro-supervisor', reformOfficeIds: ['ro-inspector'], departmentIds: [], issues: [] }] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await eventually(async () => expect((await notices(month, 'INSPECTION')).length).toBe(5));
    // Finish the month properly: terminating with activities in flight would hold the test server's clock.
    expect((await closeMonth(h)).phase).toBe('DONE');
  });

  it('第七条: an inspection reaches a district\'s township, signed there and counted toward the district; 第十条（一）: "1+1+n" enforced when the policy asks', async () => {
    const month = `${year0 + 1}-09`;
    await sleepUntil(env, monthStart(month));
    const policy: Policy = { ...basePolicy, cycle: { ...basePolicy.cycle, jointInspection: { required: true, departments: 1 } } };
    const h = await start(month, policy);
    const v = await settle(h);
    // Dispatched and ranked: the districts and the city's special groups; the townships only below their district.
    expect(v.units.map((u) => u.id)).toEqual([...districts, ...groups].sort());
    const township = v.subunits.find((x) => x.districtId === 'district-boshan' && x.kind === 'TOWNSHIP')!;
    expect(township).toBeDefined();
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (err: unknown) => (err instanceof WorkflowUpdateFailedError ? (err.cause as Error).message : String(err)),
      );
    const inspect = (a: Partial<m.InspectionArgs>) =>
      h.executeUpdate(m.createInspectionUpdate, {
        args: [{ actor: inspector, unitId: township.id, teamName: '第三督查组', leaderId: 'ro-supervisor', reformOfficeIds: ['ro-inspector'], departmentIds: [], issues: [{ title: '镇级改革台账未建立' }], ...a }],
      });
    const refused = {
      noGroup: await refusal(inspect({ departmentIds: ['dept-ndrc'] })),
      noDepartment: await refusal(inspect({ specialGroupId: 'sg-economy' })),
      notCityGroup: await refusal(inspect({ specialGroupId: 'district-boshan', departmentIds: ['dept-ndrc'] })),
      ownGroup: await refusal(inspect({ unitId: 'sg-economy', specialGroupId: 'sg-economy', departmentIds: ['dept-ndrc'] })),
    };
    console.log(`[1+1+n] refusals under jointInspection.required: ${JSON.stringify(refused)}`);
    expect(refused).toEqual({
      noGroup: '本月督查须采取“1+1+n”联合督查：须有1个市专项小组参加',
      noDepartment: '本月督查须采取“1+1+n”联合督查：须有至少1个市直部门参加',
      notCityGroup: '博山区不是市专项小组',
      ownGroup: '专项小组不能参加对本小组的督查',
    });
    const { inspections } = await inspect({ specialGroupId: 'sg-economy', departmentIds: ['dept-ndrc'] });
    expect(inspections).toHaveLength(1);
    const inspectionId = inspections[0].id;
    // The township's own responsible official signs for it, not the district's.
    expect(await refusal(h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: 'district-boshan-director', unitId: 'district-boshan' }, inspectionId, party: 'UNIT' }] }))).toBe('只有被督查单位负责同志可以代表被督查单位签字');
    await h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: `${township.id}-head`, unitId: township.id }, inspectionId, party: 'UNIT' }] });
    await h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: 'ro-supervisor', unitId: 'reform-office' }, inspectionId, party: 'LEADER' }] });
    // The issue list goes to the township, copied to the district answering for it.
    const list = await eventually(async () => {
      const n = await notices(month, 'ISSUE_LIST');
      expect(n).toHaveLength(1);
      return n[0];
    });
    const to = (role: string) => list.recipients.filter((r) => r.role === role).map((r) => r.officialId).sort();
    expect(to('TO')).toEqual([`${township.id}-head`, 'ro-supervisor']);
    expect(to('CC')).toEqual(['district-boshan-deputy', 'district-boshan-director']);
    // …and the district reads it in the month's detail; another district does not.
    const row = await eventually(() => deps.db.cycle.findUniqueOrThrow({ where: { id: month } }));
    const reads = async (officialId: string, unitId: string) =>
      'issues' in (await cycleDetail(deps.db, row, { officialId, name: officialId, unitId, roles: ['DIRECTOR'] })).inspections[0];
    expect([await reads('district-boshan-director', 'district-boshan'), await reads('district-zhangdian-director', 'district-zhangdian')]).toEqual([true, false]);

    const done = await closeMonth(h);
    const boshan = done.ranking!.districts.find((x) => x.unitId === 'district-boshan')!;
    const issues = boshan.items.find((i) => i.code === 'ISSUES')!;
    console.log(`[第七条] 博山区 ISSUES ${issues.value}/${issues.weight}: ${issues.facts}`);
    expect(issues.value).toBe(issues.weight - policy.cycle.issuePenalty);
    expect(issues.facts).toContain('其中所辖镇办、区县专项小组1项');
    expect(done.ranking!.districts.find((x) => x.unitId === 'district-zhangdian')!.items.find((i) => i.code === 'ISSUES')!.value).toBe(issues.weight);
    expect([...done.ranking!.districts, ...done.ranking!.specialGroups].some((x) => x.unitId === township.id)).toBe(false);
  });

  it("第二十一条: a district's own policy moves its report's due date, reminder and chase, nobody else's", async () => {
    const month = `${year0 + 1}-11`;
    await sleepUntil(env, monthStart(month));
    const own = 'district-zhangdian';
    // The district's own implementing rules: its report is due by the end of the 8th, reminded a day before, chased a day after.
    const ownPolicy: Policy = { ...basePolicy, scope: own, version: `${own}-own`, cycle: { ...basePolicy.cycle, reportDueAfter: { days: 7 }, remindBefore: [{ days: 1 }], chaseAfter: [{ days: 1 }] } };
    const h = await env.client.workflow.start(cycleWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: cycleWorkflowId(month),
      args: [{ version: 1, month, policy: basePolicy, unitPolicies: { [own]: ownPolicy }, seed: `seed-${month}` }],
    });
    const v = await settle(h);
    expect(formatShanghai(v.reportDueAt)).toBe(`${year0 + 1}年11月5日 24:00`);
    expect(formatShanghai(v.units.find((u) => u.id === own)!.reportDueAt!)).toBe(`${year0 + 1}年11月8日 24:00`);
    expect(v.units.filter((u) => u.reportDueAt).map((u) => u.id)).toEqual([own]);
    const others = v.units.length - 1;
    const ownNotice = (n: { key: string }) => n.key.endsWith(`:${own}`);
    const dispatch = await eventually(async () => {
      const n = await notices(month, 'DISPATCH');
      expect(n).toHaveLength(v.units.length);
      return n;
    });
    expect(dispatch.find(ownNotice)!.body).toContain(`计算截止时间：${year0 + 1}年11月8日 24:00`);
    expect(dispatch.find((n) => !ownNotice(n))!.body).toContain(`计算截止时间：${year0 + 1}年11月5日 24:00`);
    // A minute after the city's first chase (the 7th): everyone else reminded and chased, the district neither.
    await sleepUntil(env, shanghai(year0 + 1, 11, 7).getTime() + 60_000);
    await eventually(async () => expect((await notices(month, 'REPORT_CHASE')).length).toBe(others));
    expect((await notices(month, 'REPORT_REMINDER')).filter(ownNotice)).toHaveLength(0);
    expect((await notices(month, 'REPORT_CHASE')).filter(ownNotice)).toHaveLength(0);
    // Its own reminder comes on the 8th; its report then is on time, another district's is late.
    await sleepUntil(env, shanghai(year0 + 1, 11, 8).getTime() + 60_000);
    await eventually(async () => expect((await notices(month, 'REPORT_REMINDER')).filter(ownNotice)).toHaveLength(1));
    await report(h, own);
    const after = await report(h, 'district-linzi');
    expect(after.reports.find((r) => r.unitId === own)).toMatchObject({ onTime: true, dueAt: v.units.find((u) => u.id === own)!.reportDueAt });
    expect(after.reports.find((r) => r.unitId === 'district-linzi')).toMatchObject({ onTime: false });
    const ob = await eventually(() => deps.db.obligation.findUniqueOrThrow({ where: { key: `${cycleWorkflowId(month)}:report:${own}` } }));
    expect(formatShanghai(ob.dueAt)).toBe(`${year0 + 1}年11月8日 24:00`);
    // Reported: the district is never chased; the others were chased once more on the 9th, as the city's policy says.
    await sleepUntil(env, shanghai(year0 + 1, 11, 10).getTime() + 60_000);
    await settle(h);
    expect((await notices(month, 'REPORT_CHASE')).filter(ownNotice)).toHaveLength(0);
    expect(await closeMonth(h)).toMatchObject({ phase: 'DONE' });
  });

  it("第八条 content areas, 第十条（三） grassroots opinions, 第六条（四）(3) an on-site promotion meeting, 第六条（五）(3) a highlight recommended upward, 第十四条（三）(6) the evaluation's results in the next briefing only", async () => {
    const month = `${year0 + 2}-03`;
    const next = `${year0 + 2}-04`;
    const t0 = monthStart(month).getTime();
    await sleepUntil(env, monthStart(month));
    // The year's evaluation, decided on the 2nd (its record as the evaluation's recorder writes it: the cycle reads the record).
    const evalYear = year0 + 40;
    const decidedAt = new Date(t0 + 2 * DAY).toISOString();
    await deps.db.evaluation.create({
      data: {
        id: String(evalYear),
        workflowId: `test-evaluation:${evalYear}`,
        year: evalYear,
        phase: 'FOLLOW_UP',
        policyVersion: 'test',
        seed: 'test',
        startedAt: new Date(t0),
        planDueAt: new Date(t0),
        body: {
          decision: { publish: true, channels: ['淄博日报'], by: 'city-mayor', at: decidedAt },
          report: { title: `${evalYear}年度全面深化改革第三方评估报告`, summary: '总体成效明显', results: [{ unitId: 'district-boshan', score: 78 }, { unitId: 'district-zhangdian', score: 93, comment: '创新经验推广成效明显' }], findings: [], submittedAt: decidedAt, submittedBy: 'ro-director' },
        },
      },
    });
    cleanups.push(() => deps.db.evaluation.deleteMany({ where: { year: evalYear } }));
    const h = await start(month);
    await sleepUntil(env, t0 + 3 * DAY);

    // 第八条 and 第十条（三）: each item names its area; the grassroots opinions heard go with the inspection.
    let v = await h.executeUpdate(m.createInspectionUpdate, {
      args: [
        {
          actor: inspector,
          unitId: 'district-boshan',
          teamName: '第二督查组',
          leaderId: 'ro-supervisor',
          reformOfficeIds: ['ro-inspector'],
          departmentIds: [],
          issues: [
            { title: '改革台账未按月更新', area: 'BASIC_WORK' },
            { title: '审议出台文件配套细则滞后', area: 'DOCUMENTS' },
            { title: '推广经验缺少跟踪评估', area: 'INNOVATION' },
          ],
          opinions: [{ unit: '博山区山头街道某社区', text: '希望进一步精简便民服务事项材料' }],
        },
      ],
    });
    const inspectionId = v.inspections[0].id;
    await h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: 'district-boshan-director', unitId: 'district-boshan' }, inspectionId, party: 'UNIT' }] });
    await h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: 'ro-supervisor', unitId: 'reform-office' }, inspectionId, party: 'LEADER' }] });
    const issueList = await eventually(async () => {
      const n = await notices(month, 'ISSUE_LIST');
      expect(n).toHaveLength(1);
      return n[0];
    });
    expect(issueList.body).toContain('1. 【基础业务开展情况】改革台账未按月更新');

    // 第六条（四）(3): a promotion meeting in an advanced district of this month; a special group or a day of another month is refused.
    const meeting = { actor: admin, heldAt: shanghai(year0 + 2, 3, 20, 9, 30).toISOString(), districtId: 'district-zhangdian', shown: '政务服务“一网通办”改革现场', attendeeUnitIds: ['district-boshan', 'district-yiyuan', 'dept-ndrc'] };
    await expect(h.executeUpdate(m.recordPromotionMeetingUpdate, { args: [{ ...meeting, districtId: 'sg-economy' }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(h.executeUpdate(m.recordPromotionMeetingUpdate, { args: [{ ...meeting, heldAt: shanghai(year0 + 2, 4, 2, 9, 30).toISOString() }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await h.query(m.cycleStateQuery)).promotionMeetings).toEqual([]);
    v = await h.executeUpdate(m.recordPromotionMeetingUpdate, { args: [meeting] });
    expect(v.promotionMeetings).toHaveLength(1);
    const invitation = await eventually(async () => {
      const n = await notices(month, 'PROMOTION_MEETING');
      expect(n).toHaveLength(1);
      return n[0];
    });
    expect(invitation.recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining(['district-boshan-head', 'district-yiyuan-director', 'dept-ndrc-head', 'district-zhangdian-head']));
    expect(invitation.body).toContain('政务服务“一网通办”改革现场');
    expect(invitation.body).toContain('依据：第六条（四）');
    const row = await deps.db.cyclePromotionMeeting.findUniqueOrThrow({ where: { id: v.promotionMeetings![0].id } });
    expect(row).toMatchObject({ cycleId: month, districtId: 'district-zhangdian', attendeeUnitIds: meeting.attendeeUnitIds });

    // 第六条（五）(3): a highlight recommended upward (no timer); a special group is not one of the month's districts.
    const upward = { actor: { officialId: 'dept-propaganda-head', unitId: 'dept-propaganda' }, unitIds: ['district-zhangdian'], highlight: '企业开办“一件事”改革经验', channel: '改革信息专报', recipient: '省委改革办', sentAt: shanghai(year0 + 2, 3, 4, 10, 0).toISOString() };
    await expect(h.executeUpdate(m.recommendUpwardUpdate, { args: [{ ...upward, unitIds: ['sg-economy'] }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(h.executeUpdate(m.recommendUpwardUpdate, { args: [{ ...upward, sentAt: shanghai(year0 + 2, 2, 27, 10, 0).toISOString() }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    v = await h.executeUpdate(m.recommendUpwardUpdate, { args: [upward] });
    expect(v.upwardRecommendations?.map((u) => [u.unitIds, u.recipient])).toEqual([[['district-zhangdian'], '省委改革办']]);
    expect(await deps.db.cycleUpwardRecommendation.count({ where: { cycleId: month } })).toBe(1);

    await closeMonth(h);
    const cycle = await deps.db.cycle.findUniqueOrThrow({ where: { id: month } });
    const html = cycle.briefingHtml!;
    const b = cycle.briefing as unknown as { areas: { areas: Array<{ area: string; inspections: number; issues: number }>; unnamed: number }; opinions: string[]; evaluations: Array<{ year: number }> };
    const perArea = Object.fromEntries(b.areas.areas.map((a) => [a.area, a.issues]));
    console.log(`[第八条] ${month} issues per content area: ${JSON.stringify(perArea)}; [第十四条（三）(6)] evaluations announced: ${JSON.stringify(b.evaluations.map((e) => e.year))}`);
    expect(perArea).toEqual({ DOCUMENTS: 1, BASIC_WORK: 1, SPECIAL_GROUPS: 0, INNOVATION: 1, OTHER: 0 });
    expect(html).toContain('督查内容覆盖情况');
    expect(html).toContain('<tr><td>专项小组工作开展情况</td><td>0</td><td>未发现问题</td></tr>');
    expect(html).toContain('博山区：【基础业务开展情况】改革台账未按月更新');
    expect(html).toContain('基层意见建议');
    expect(html).toContain('督查博山区时听取博山区山头街道某社区意见：希望进一步精简便民服务事项材料');
    expect(html).toContain('现场推进会');
    expect(html).toContain('在张店区召开现场推进会，现场观摩：政务服务“一网通办”改革现场；参会单位：博山区、沂源县、');
    expect(html).toContain('年度评估结果通报');
    expect(html).toContain(`${evalYear}年度全面深化改革第三方评估报告`);
    // Ordered by score, highest first.
    expect(html).toMatch(/<td>1<\/td><td>张店区<\/td><td>93<\/td><td>创新经验推广成效明显<\/td>.*<td>2<\/td><td>博山区<\/td><td>78<\/td>/);
    expect(b.evaluations.map((e) => e.year)).toContain(evalYear);
    // Sections are numbered in order, the optional ones included (no team rating was filed: that section is left out).
    expect([...html.matchAll(/<h2>([一二三四五六七八九十]+)、([^<]+)<\/h2>/g)].map((x) => `${x[1]}、${x[2]}`)).toEqual([
      '一、月度排名',
      '二、工作亮点',
      '三、督查内容覆盖情况',
      '四、存在问题',
      '五、基层意见建议',
      '六、现场推进会',
      '七、年度评估结果通报',
      '八、通报会发言安排',
      '九、下月工作安排',
    ]);

    // The next month's briefing announces it no more (and has no promotion meeting of its own).
    await sleepUntil(env, monthStart(next));
    await closeMonth(await start(next));
    const after = (await deps.db.cycle.findUniqueOrThrow({ where: { id: next } })).briefingHtml!;
    expect(after).not.toContain(`${evalYear}年度全面深化改革第三方评估报告`);
    expect(after).not.toContain('现场推进会');
    expect(after).not.toContain('基层意见建议');
  }, 300_000);

  it('runs a whole month: dispatch, reminder and chase, inspection signed by both, scores, ranking, briefing, publicity, diagnosis', async () => {
    // A month of a year without its own indicator set (the default set, with the fact-based checkpoints),
    // started at 00:00 on its 1st as the schedule does; the facts below are due within it.
    const month = `${year0 + 3}-04`;
    const t0 = monthStart(month).getTime();
    await sleepUntil(env, monthStart(month));
    // Facts the system scores (第五条 obligations): 张店区 did its document on time, 淄川区 late.
    await deps.db.obligation.createMany({
      data: [
        { key: `test:${month}:zd`, workflowId: 'test', family: 'document', subjectId: 'x', title: '出台配套文件', rule: '第五条', unitId: 'district-zhangdian', dueAt: new Date(t0 + 10 * DAY), status: 'DONE', closedAt: new Date(t0 + 9 * DAY) },
        { key: `test:${month}:zc`, workflowId: 'test', family: 'document', subjectId: 'x', title: '出台配套文件', rule: '第五条', unitId: 'district-zichuan', dueAt: new Date(t0 + 10 * DAY), status: 'DONE', closedAt: new Date(t0 + 12 * DAY) },
      ],
    });
    // Ledger tasks (台账) of 张店区: one due this month and closed, one open and due later (listed in the dispatch).
    const doc = await deps.db.document.create({
      data: { docNumber: `鲁改发〔${month}〕1号`, level: 'PROVINCIAL', title: '测试文件', issuedAt: new Date(t0), receivedAt: new Date(t0), workflowId: `test-doc-${month}`, state: 'ISSUED', policyVersion: 'test' },
    });
    await deps.db.ledgerTask.createMany({
      data: [
        { id: `test-${month}-1`, documentId: doc.id, title: '制定一网通办实施细则', unitId: 'district-zhangdian', ownerId: 'district-zhangdian-director', dueAt: new Date(t0 + 5 * DAY), status: 'CLOSED', closedAt: new Date(t0 + 4 * DAY) },
        { id: `test-${month}-2`, documentId: doc.id, title: '建设政务服务中心分中心', unitId: 'district-zhangdian', ownerId: 'district-zhangdian-director', dueAt: new Date(t0 + 400 * DAY), status: 'OPEN' },
      ],
    });
    cleanups.push(
      () => deps.db.ledgerTask.deleteMany({ where: { documentId: doc.id } }),
      () => deps.db.document.delete({ where: { id: doc.id } }),
      () => deps.db.obligation.deleteMany({ where: { workflowId: 'test' } }),
    );
    const h = await start(month);
    let v = await settle(h);
    expect(v.targets).toHaveLength(19); // policy: inspect all 11 districts and 8 special groups
    expect(v.seed).toBe(`seed-${month}`);
    await eventually(async () => expect((await notices(month, 'DISPATCH')).length).toBe(19));
    await eventually(async () => expect((await notices(month, 'INSPECTION')).length).toBe(19));
    // The SMTP sink is shared by the run's test files: this month's dispatch only.
    const isDispatch = (x: { subject: string }) => x.subject.startsWith(`【一月一调度】${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`);
    const dispatchMail = await eventually(async () => {
      const mail = await mailTo('district-zhangdian-director@zibo.example.cn');
      expect(mail.some(isDispatch)).toBe(true);
      return mail;
    });
    expect(dispatchMail.find(isDispatch)!.text).toContain('依据：第六条（一）');
    expect(dispatchMail.find(isDispatch)!.text).toContain('未销号台账任务：\n  建设政务服务中心分中心');

    // Everyone reports on time except 文昌湖 (never reports).
    for (const u of [...districts, ...groups].filter((u) => u !== 'district-wenchanghu')) await report(h, u);

    // 一月一督查: a "1+1+n" team inspects 博山区; the list counts only when both sign.
    v = await h.executeUpdate(m.createInspectionUpdate, {
      args: [{ actor: inspector, unitId: 'district-boshan', teamName: '第一督查组', leaderId: 'ro-supervisor', reformOfficeIds: ['ro-inspector'], specialGroupId: 'sg-economy', departmentIds: ['dept-ndrc'], issues: [{ title: '台账更新不及时', area: 'BASIC_WORK' }, { title: '专项小组例会未按月召开', detail: '10月未召开', area: 'SPECIAL_GROUPS' }] }],
    });
    const inspectionId = v.inspections[0].id;
    await expect(h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: 'district-zichuan-director', unitId: 'district-zichuan' }, inspectionId, party: 'UNIT' }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: inspector, inspectionId, party: 'LEADER' }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: 'district-boshan-director', unitId: 'district-boshan' }, inspectionId, party: 'UNIT' }] });
    v = await h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: 'ro-supervisor', unitId: 'reform-office' }, inspectionId, party: 'LEADER' }] });
    expect(v.inspections[0].unitSignedBy).toBe('district-boshan-director');
    expect(v.inspections[0].leaderSignedBy).toBe('ro-supervisor');
    // An inspection of a unit outside the month's targets is refused (none here: all are targets), a bad score too.
    await expect(inspectorScore(h, 'district-linzi', 41)).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(h.executeUpdate(m.enterScoreUpdate, { args: [{ actor: inspector, unitId: 'district-linzi', indicatorCode: 'REPORT_ON_TIME', value: 5, override: false }] })).rejects.toThrow();

    // Inspector scores: 张店区 best; 淄川区 40 but its late document costs 20, so it ties 文昌湖 at 80 and
    // the tie rule (REPORT_ON_TIME first) puts 文昌湖 last; 临淄区 gets an override with a reason.
    for (const u of [...districts, ...groups]) await inspectorScore(h, u, u === 'district-zhangdian' || u === 'district-zichuan' ? 40 : u === 'sg-soe' ? 20 : 30);
    await h.executeUpdate(m.enterScoreUpdate, { args: [{ actor: admin, unitId: 'district-linzi', indicatorCode: 'LEDGER_CLOSED', value: 15, override: true, reason: '台账任务延期未经批准' }] });

    // The unit that never reports: a reminder the day before, chases after the due date (policy).
    await env.sleep(4 * DAY + 3600_000);
    await settle(h);
    const reminders = await eventually(async () => {
      const r = await notices(month, 'REPORT_REMINDER');
      expect(r.map((n) => n.key)).toEqual([`cycle:${month}:report-reminder-0:district-wenchanghu`]);
      return r;
    });
    expect(reminders[0].title).toContain('到期提醒');
    await env.sleep(4 * DAY);
    await settle(h);
    const chases = await eventually(async () => {
      const c = await notices(month, 'REPORT_CHASE');
      expect(c).toHaveLength(2);
      return c;
    });
    expect(chases[0].recipients.map((r) => r.officialId).sort()).toEqual(['district-wenchanghu-deputy', 'district-wenchanghu-director', 'district-wenchanghu-head']);
    expect(chases[0].body).toContain('依据：第六条（一）');
    const open = await deps.db.obligation.findMany({ where: { workflowId: cycleWorkflowId(month), key: { contains: ':report:' }, status: 'OPEN' } });
    expect(open.map((o) => o.unitId)).toEqual(['district-wenchanghu']);

    // Scoring closes at the policy's day 25: the ranking is published by itself.
    await env.sleep(17 * DAY);
    await eventually(async () => {
      expect((await settle(h)).phase).toBe('DIAGNOSIS');
      expect(await deps.db.notice.count({ where: { subjectId: month, kind: 'DIAGNOSIS_VISIT' } })).toBe(1);
    });
    const rows = await deps.db.cycleScore.findMany({ where: { cycleId: month, unitKind: 'DISTRICT' }, orderBy: [{ rank: 'asc' }, { unitId: 'asc' }] });
    expect(rows[0].unitId).toBe('district-zhangdian');
    expect(rows[rows.length - 1].unitId).toBe('district-wenchanghu'); // no report → REPORT_ON_TIME 0 → last
    expect(rows.find((r) => r.unitId === 'district-zichuan')!.total).toBe(rows[rows.length - 1].total);
    expect(rows[rows.length - 1].tieNote).toContain('按比较项得分确定名次');
    type Item = { code: string; value: number; facts: string; rule: string; computed?: number };
    const items = (unitId: string) => rows.find((r) => r.unitId === unitId)!.items as unknown as Item[];
    const item = (unitId: string, code: string) => items(unitId).find((i) => i.code === code)!;
    expect(item('district-wenchanghu', 'REPORT_ON_TIME')).toMatchObject({ value: 0 });
    expect(item('district-wenchanghu', 'REPORT_ON_TIME').facts).toContain('未报送');
    expect(item('district-zhangdian', 'DOCUMENTS_ON_TIME')).toMatchObject({ value: 20 });
    expect(item('district-zhangdian', 'LEDGER_CLOSED').facts).toBe('已到期台账任务1项，已销号1项');
    expect(item('district-zichuan', 'DOCUMENTS_ON_TIME')).toMatchObject({ value: 0 });
    expect(item('district-zichuan', 'DOCUMENTS_ON_TIME').facts).toContain('按期完成0项');
    expect(item('district-boshan', 'ISSUES')).toMatchObject({ value: 8 });
    expect(item('district-linzi', 'LEDGER_CLOSED')).toMatchObject({ value: 15, computed: 20 });
    expect(item('district-linzi', 'LEDGER_CLOSED').facts).toContain('台账任务延期未经批准');
    expect(rows.every((r) => r.annualFigure === Math.round(r.total * 50) / 100)).toBe(true); // first month: 50% of it

    // 一月一通报: the printable briefing with its speakers, the meeting and the distribution.
    const cycle = await deps.db.cycle.findUniqueOrThrow({ where: { id: month } });
    expect(cycle.briefingHtml).toContain('督导情况通报');
    expect(cycle.briefingHtml).toContain('张店区');
    expect(cycle.briefingHtml).toContain('台账更新不及时');
    const b = cycle.briefing as unknown as { speakers: m.Ranking['speakers'] };
    expect(b.speakers.typical).toContain('district-zhangdian');
    expect(b.speakers.commitment).toEqual(['district-wenchanghu']);
    const meeting = (await notices(month, 'MEETING'))[0];
    const attendees = meeting.recipients.map((r) => r.officialId);
    expect(attendees).toContain('district-boshan-director');
    expect(attendees).toContain('sg-rural-liaison');
    expect(attendees.some((id) => id.startsWith('dept-'))).toBe(false); // April: not a quarter month
    const briefing = (await notices(month, 'BRIEFING'))[0];
    expect(briefing.recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining(['city-secretary', 'district-zhangdian-head', 'dept-ndrc-head']));
    // 一月一宣传 and 一月一会诊.
    const publicity = (await notices(month, 'PUBLICITY'))[0];
    expect(publicity.body).toContain('张店区');
    expect(publicity.body).toContain('张店区：本月改革任务按计划推进'); // its material
    expect(publicity.recipients.map((r) => r.officialId)).toContain('dept-propaganda-head');
    expect((await notices(month, 'DIAGNOSIS_VISIT'))[0].recipients.map((r) => r.officialId)).toContain('district-wenchanghu-head');

    // The diagnosis report is chased until filed.
    await env.sleep(14 * DAY);
    await settle(h);
    await eventually(async () => expect((await notices(month, 'DIAGNOSIS_CHASE')).length).toBeGreaterThanOrEqual(2)); // reminder, then chases
    await expect(h.executeUpdate(m.fileDiagnosisUpdate, { args: [{ actor: inspector, unitId: 'district-zhangdian', report: 'x' }] })).rejects.toThrow();
    await h.executeUpdate(m.fileDiagnosisUpdate, { args: [{ actor: inspector, unitId: 'district-wenchanghu', report: '落后原因：调度不及时。措施：专人负责，每周调度。' }] });
    expect((await resultInRealTime(env, h)).phase).toBe('DONE');
    const filed = (await eventually(async () => {
      const n = await notices(month, 'DIAGNOSIS_REPORT');
      expect(n).toHaveLength(1);
      return n;
    }))[0];
    expect(filed.recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining(['city-secretary', 'city-mayor']));
    expect(await deps.db.obligation.count({ where: { workflowId: cycleWorkflowId(month), status: 'OPEN' } })).toBe(0);
    const diag = await deps.db.cycleDiagnosis.findFirstOrThrow({ where: { cycleId: month } });
    expect(diag.report).toContain('每周调度');
    const k = await kinds(month);
    for (const kind of ['DISPATCH', 'INSPECTION', 'ISSUE_LIST', 'REPORT_REMINDER', 'REPORT_CHASE', 'BRIEFING', 'MEETING', 'PUBLICITY', 'DIAGNOSIS_VISIT', 'DIAGNOSIS_CHASE', 'DIAGNOSIS_REPORT']) {
      expect(k).toContain(kind);
    }
  }, 300_000);

  it('第十条（二） a department carrying reform tasks is dispatched, inspected, scored on its own indicators and ranked apart; 第十条（一） a mutual inspection recorded by the peer district, a self-inspection refused', async () => {
    const month = `${year0 + 3}-06`;
    const t0 = monthStart(month).getTime();
    await sleepUntil(env, monthStart(month));
    // 市发展改革委 leads a superior document whose 交办 falls due on the 10th; 市财政局 holds a ledger task due on the 12th.
    const doc = await deps.db.document.create({
      data: { docNumber: `鲁改发〔${month}〕9号`, level: 'PROVINCIAL', title: '部门牵头测试文件', issuedAt: new Date(t0), receivedAt: new Date(t0), workflowId: `test-doc-dept-${month}`, state: 'ASSIGNED', leadUnitId: 'dept-ndrc', policyVersion: 'test' },
    });
    await deps.db.obligation.create({
      data: { key: `test-dept:${month}:ndrc`, workflowId: 'test-dept', family: 'document', subjectId: doc.id, title: '牵头交办上级文件', rule: '第五条', unitId: 'dept-ndrc', dueAt: new Date(t0 + 10 * DAY), status: 'OPEN' },
    });
    await deps.db.ledgerTask.create({
      data: { id: `test-dept-${month}-1`, documentId: doc.id, title: '制定财政支持办法', unitId: 'dept-finance', ownerId: 'dept-finance-liaison', dueAt: new Date(t0 + 12 * DAY), status: 'OPEN' },
    });
    cleanups.push(
      () => deps.db.ledgerTask.deleteMany({ where: { documentId: doc.id } }),
      () => deps.db.document.delete({ where: { id: doc.id } }),
      () => deps.db.obligation.deleteMany({ where: { workflowId: 'test-dept' } }),
    );
    // The policy's default: departments on; this office expects one mutual inspection a month.
    const policy: Policy = { ...defaultPolicy, cycle: { ...defaultPolicy.cycle, mutualInspection: { expected: 1 } } };
    const h = await start(month, policy);
    let v = await settle(h);
    const departments = v.units.filter((u) => u.kind === 'DEPARTMENT').map((u) => u.id);
    expect(departments).toEqual(expect.arrayContaining(['dept-ndrc', 'dept-finance']));
    expect(departments).not.toContain('dept-gov-office'); // no open task (no test file gives it one): not in the month
    expect(v.targets).toEqual(expect.arrayContaining(['dept-ndrc', 'dept-finance'])); // departments.inspect 0: every one
    expect(v.indicators.filter((i) => i.appliesTo.includes('DEPARTMENT')).map((i) => i.code)).toEqual(policy.cycle.departments.indicators.map((i) => i.code));
    // The dispatch reaches the department's leader in charge and reform liaison.
    const dispatch = await eventually(async () => {
      const n = (await notices(month, 'DISPATCH')).find((x) => x.key === `cycle:${month}:dispatch:dept-finance`);
      expect(n).toBeDefined();
      return n!;
    });
    expect(dispatch.recipients.map((r) => r.officialId).sort()).toEqual(['dept-finance-leader', 'dept-finance-liaison']);
    expect(dispatch.body).toContain('制定财政支持办法');

    // 市财政局 reports; 市发展改革委 does not.
    await report(h, 'dept-finance');
    // The reform office inspects 市发展改革委; its head and the team leader sign.
    v = await h.executeUpdate(m.createInspectionUpdate, {
      args: [{ actor: inspector, unitId: 'dept-ndrc', teamName: '第二督查组', leaderId: 'ro-supervisor', reformOfficeIds: ['ro-inspector'], departmentIds: [], issues: [{ title: '牵头文件交办滞后', area: 'DOCUMENTS' }, { title: '台账未按月更新', area: 'BASIC_WORK' }] }],
    });
    const deptInspection = v.inspections.at(-1)!.id;
    await h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: 'dept-ndrc-head', unitId: 'dept-ndrc' }, inspectionId: deptInspection, party: 'UNIT' }] });
    await h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: 'ro-supervisor', unitId: 'reform-office' }, inspectionId: deptInspection, party: 'LEADER' }] });

    // 第十条（一）: 博山区's reform office inspects 张店区 (mutual); 张店区 inspecting itself, a group inspecting a
    // district, and 淄川区 recording 博山区's inspection are refused with the reason.
    const boshan: m.Actor = { officialId: 'district-boshan-director', unitId: 'district-boshan' };
    const mutual = (a: Partial<m.InspectionArgs>) =>
      h.executeUpdate(m.createInspectionUpdate, { args: [{ actor: boshan, unitId: 'district-zhangdian', teamName: '博山区互督组', leaderId: 'district-boshan-director', peerUnitId: 'district-boshan', reformOfficeIds: [], departmentIds: [], issues: [{ title: '改革台账更新不及时', area: 'BASIC_WORK' }], ...a }] });
    const refusals = {
      self: await mutual({ actor: { officialId: 'district-zhangdian-director', unitId: 'district-zhangdian' }, peerUnitId: 'district-zhangdian', leaderId: 'district-zhangdian-director' }).catch((e: WorkflowUpdateFailedError) => (e.cause as Error).message),
      otherKind: await mutual({ actor: { officialId: 'sg-economy-liaison', unitId: 'sg-economy' }, peerUnitId: 'sg-economy', leaderId: 'sg-economy-liaison' }).catch((e: WorkflowUpdateFailedError) => (e.cause as Error).message),
      notThePeer: await mutual({ actor: { officialId: 'district-zichuan-director', unitId: 'district-zichuan' } }).catch((e: WorkflowUpdateFailedError) => (e.cause as Error).message),
    };
    console.log(`[第十条（一）] mutual inspection refusals: ${JSON.stringify(refusals)}`);
    expect(refusals).toEqual({
      self: '互督互查不能由被督查单位自己开展：张店区不能督查本单位',
      otherKind: '互督互查在同类单位之间开展：经济体制和生态文明体制改革专项小组与张店区不是同类单位',
      notThePeer: '只有博山区可以登记本单位开展的互督互查',
    });
    expect((await h.query(m.cycleStateQuery)).inspections).toHaveLength(1); // nothing recorded by the refusals
    v = await mutual({});
    const peer = v.inspections.at(-1)!;
    expect(peer).toMatchObject({ unitId: 'district-zhangdian', peerUnitId: 'district-boshan', leaderId: 'district-boshan-director' });
    await h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: { officialId: 'district-zhangdian-director', unitId: 'district-zhangdian' }, inspectionId: peer.id, party: 'UNIT' }] });
    await h.executeUpdate(m.signInspectionUpdate, { args: [{ actor: boshan, inspectionId: peer.id, party: 'LEADER' }] });
    const row = await eventually(async () => {
      const r = await deps.db.cycleInspection.findUniqueOrThrow({ where: { id: peer.id } });
      expect(r.leaderSignedAt).not.toBeNull();
      return r;
    });
    expect(row.peerUnitId).toBe('district-boshan');
    const list = await eventually(async () => {
      const n = (await notices(month, 'ISSUE_LIST')).find((x) => x.key === `cycle:${month}:issue-list:${peer.id}`);
      expect(n).toBeDefined();
      return n!;
    });
    expect(list.body).toContain('博山区（互督互查）博山区互督组');
    // A district's indicator does not apply to a department.
    await expect(h.executeUpdate(m.enterScoreUpdate, { args: [{ actor: inspector, unitId: 'dept-ndrc', indicatorCode: 'INSPECTION', value: 30, override: false }] })).rejects.toMatchObject({
      cause: { message: '指标“改革举措落地见效（督查组评分）”不适用于市发展改革委' },
    });

    // The facts: 市发展改革委's 交办 done on the 12th, two days late; 市财政局's ledger task closed on the 11th.
    await sleepUntil(env, t0 + 12 * DAY);
    await deps.db.obligation.update({ where: { key: `test-dept:${month}:ndrc` }, data: { status: 'DONE', closedAt: new Date(t0 + 12 * DAY) } });
    await deps.db.ledgerTask.update({ where: { id: `test-dept-${month}-1` }, data: { status: 'CLOSED', closedAt: new Date(t0 + 11 * DAY) } });

    // Scoring closes at the policy's day 25: the ranking is published by itself, the departments in their own.
    await sleepUntil(env, new Date(v.scoringAt).getTime() + 3600_000);
    const ranked = await eventually(async () => {
      const x = await h.query(m.cycleStateQuery);
      expect(x.ranking).toBeDefined();
      return x;
    });
    const ranking = ranked.ranking!;
    const dept = (id: string) => ranking.departments!.find((u) => u.unitId === id)!;
    const item = (id: string, code: string) => dept(id).items.find((i) => i.code === code)!;
    console.log(`[第十条（二）] departments: ${JSON.stringify(ranking.departments!.map((u) => [u.unitName, u.rank, u.total]))}`);
    expect(item('dept-finance', 'DEPT_LEDGER_CLOSED')).toMatchObject({ value: 35, facts: '已到期台账任务1项，已销号1项' });
    expect(item('dept-finance', 'DEPT_REPORT_ON_TIME').value).toBe(10);
    expect(dept('dept-finance').total).toBe(100);
    expect(item('dept-ndrc', 'DEPT_DOCUMENTS_ON_TIME')).toMatchObject({ value: 0, facts: '本月到期文件办理义务1项，按期完成0项' });
    expect(item('dept-ndrc', 'DEPT_ISSUES').value).toBe(15 - 2 * policy.cycle.issuePenalty);
    expect(item('dept-ndrc', 'DEPT_REPORT_ON_TIME').value).toBe(0);
    expect(dept('dept-ndrc').total).toBe(0 + 0 + 35 + 13);
    expect(dept('dept-finance').rank).toBeLessThan(dept('dept-ndrc').rank);
    // Never mixed with districts and groups; no speeches for departments (第六条（四）(1)).
    expect([...ranking.districts, ...ranking.specialGroups].some((u) => u.kind === 'DEPARTMENT')).toBe(false);
    expect([...ranking.speakers.typical, ...ranking.speakers.commitment].some((id) => id.startsWith('dept-'))).toBe(false);
    // The mutual inspection's signed list counts toward 张店区.
    expect(ranking.districts.find((u) => u.unitId === 'district-zhangdian')!.items.find((i) => i.code === 'ISSUES')!.value).toBe(10 - policy.cycle.issuePenalty);

    // The record: the departments' scores with their kind, the briefing's department table and mutual section.
    const scores = await eventually(async () => {
      const rows = await deps.db.cycleScore.findMany({ where: { cycleId: month, unitKind: 'DEPARTMENT' } });
      expect(rows.length).toBe(ranking.departments!.length);
      return rows;
    });
    expect(scores.find((r) => r.unitId === 'dept-ndrc')!.total).toBe(48);
    const cycle = await eventually(async () => {
      const c = await deps.db.cycle.findUniqueOrThrow({ where: { id: month } });
      expect(c.briefingHtml).not.toBeNull();
      return c;
    });
    expect(cycle.briefingHtml).toContain('（三）承担改革任务的市直部门');
    expect(cycle.briefingHtml).toContain('博山区督查张店区（博山区互督组，问题清单已双方签字，1项问题）');
    expect(cycle.briefingHtml).toContain('本月开展互督互查1次（按要求每月不少于1次）');
    const briefing = await eventually(async () => {
      const n = await notices(month, 'BRIEFING');
      expect(n).toHaveLength(1);
      return n[0];
    });
    expect(briefing.body).toContain('市直部门排名（第十条（二））');

    // Finish the month: the diagnosis reports of the last-ranked districts (never a department).
    expect(ranked.diagnoses.some((d) => d.unitId.startsWith('dept-'))).toBe(false);
    for (const d of ranked.diagnoses) await h.executeUpdate(m.fileDiagnosisUpdate, { args: [{ actor: inspector, unitId: d.unitId, report: '落后原因：改革统筹力度不够。改进措施：建立周调度机制。' }] });
    expect((await resultInRealTime(env, h)).phase).toBe('DONE');
  }, 300_000);
});
