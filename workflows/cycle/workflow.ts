// One workflow per month runs the 六个一 supervision cycle (第六条): dispatch
// (一月一调度) with reminders and chases, inspection (一月一督查) with issue
// lists signed by both parties, scoring and ranking (一月一排名), the briefing
// and its meeting (一月一通报), publicity (一月一宣传) and the diagnosis visit
// to the last-ranked district (一月一会诊), chased until its report is filed.
// Started by a Temporal Schedule (worker/schedules.ts) or by hand; durations
// and thresholds come from input.policy.cycle.
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  startChild,
  condition,
  continueAsNew,
  currentUpdateInfo,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createActivities } from '../../activities';
import { ACTIVITY_RETRY, activities, shouldContinueAsNew, type Alarm } from '../shared';
import type { CycleNoticeArgs, CycleObligation } from '../../activities/cycle';
import { cycleWorkflowId } from '../../common/ids';
import { REFORM_OFFICE_ID } from '../../common/org';
import { addDuration, describeDuration, formatShanghai, subtractDuration } from '../../common/policy/duration';
import {
  closeScoringUpdate,
  createInspectionUpdate,
  cycleStateQuery,
  enterScoreUpdate,
  fileDiagnosisUpdate,
  rateTeamUpdate,
  signInspectionUpdate,
  submitReportUpdate,
  type Actor,
  type CycleState,
  type CycleView,
  type CycleWorkflowInput,
  type Ranking,
} from './messages';
import {
  annualFigure,
  briefingAttendees,
  drawTargets,
  isQuarterMonth,
  lastInARow,
  lastRanked,
  monthEnd,
  monthStart,
  shanghaiMonth,
  mostImproved,
  parseMonth,
  PHASE_LABELS,
  previousMonth,
  rankTeams,
  rankUnits,
  scoreUnit,
  speakers as chooseSpeakers,
  tieRuleText,
  type UnitKind,
} from './state';

const acts = activities;
// The briefing goes to every city leader, district head and department head in one notice: more time per attempt
// (a retry resends only to recipients not yet SENT).
const mail = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '10 minutes', retry: ACTIVITY_RETRY });

const RULE = '第六条';

type RecordDelta = Parameters<ReturnType<typeof createActivities>['recordCycle']>[0]['delta'];


export async function cycleWorkflow(input: CycleWorkflowInput): Promise<CycleView> {
  const parsed = parseMonth(input.month);
  if (!parsed) throw ApplicationFailure.nonRetryable(`invalid month ${input.month}`, 'InvalidCycleMonth');
  const { year, month } = parsed;
  const p = input.policy.cycle;
  const workflowId = workflowInfo().workflowId;
  const cycleId = input.month;
  const quarter = isQuarterMonth(month, p.quarterMonths);
  // The month's clocks start on its 1st, 00:00 Shanghai (第六条), whenever the cycle is started: a
  // catch-up started a day late keeps the month's dates.
  const periodStart = monthStart(input.month).toISOString();
  const s: CycleState = input.carried ?? {
    phase: 'COLLECTING',
    startedAt: new Date().toISOString(),
    reportDueAt: addDuration(new Date(periodStart), p.reportDueAfter).toISOString(),
    scoringAt: addDuration(new Date(periodStart), p.scoringCloseAfter).toISOString(),
    // Recorded with the cycle so the draw can be reproduced; uuid4() is deterministic in workflow code.
    seed: input.seed ?? uuid4(),
    units: [],
    indicators: [],
    targets: [],
    reports: [],
    inspections: [],
    entries: [],
    ratings: [],
    diagnoses: [],
    fired: [],
    seq: 0,
  };
  const fired = new Set(s.fired);
  const unitName = (id: string) => s.units.find((u) => u.id === id)?.name ?? id;
  const unitKind = (id: string): UnitKind | undefined => s.units.find((u) => u.id === id)?.kind;

  const view = (): CycleView => {
    const { fired: _f, seq: _q, ...rest } = s;
    return { ...rest, month: input.month, policyVersion: input.policy.version, quarter };
  };

  // ---- persistence ---------------------------------------------------------------

  function obligations(): CycleObligation[] {
    const out: CycleObligation[] = [];
    const collecting = s.phase === 'COLLECTING';
    const status = (done: boolean): CycleObligation['status'] => (done ? 'DONE' : collecting ? 'OPEN' : 'CANCELLED');
    for (const u of s.units) {
      out.push({ key: `${workflowId}:report:${u.id}`, title: `报送${year}年${month}月改革工作进展调度情况`, rule: '第六条（一）', unitId: u.id, dueAt: s.reportDueAt, status: status(s.reports.some((r) => r.unitId === u.id)) });
    }
    for (const t of s.targets) {
      const signed = s.inspections.some((i) => i.unitId === t && i.unitSignedAt && i.leaderSignedAt);
      out.push({ key: `${workflowId}:inspection:${t}`, title: `督查${unitName(t)}并形成双方签字的问题清单`, rule: '第六条（二）', unitId: REFORM_OFFICE_ID, dueAt: s.scoringAt, status: status(signed) });
    }
    for (const i of s.inspections) {
      out.push({ key: `${workflowId}:sign-unit:${i.id}`, title: `问题清单签字确认（${i.teamName}）`, rule: '第六条（二）', unitId: i.unitId, dueAt: s.scoringAt, status: status(!!i.unitSignedAt) });
      out.push({ key: `${workflowId}:sign-leader:${i.id}`, title: `问题清单签字确认（督查组负责人，${unitName(i.unitId)}）`, rule: '第六条（二）', unitId: REFORM_OFFICE_ID, officialId: i.leaderId, dueAt: s.scoringAt, status: status(!!i.leaderSignedAt) });
    }
    if (quarter) {
      for (const u of s.units.filter((x) => x.kind === 'DISTRICT')) {
        out.push({ key: `${workflowId}:team-rating:${u.id}`, title: '季度对市督查组打分', rule: '第六条（三）', unitId: u.id, dueAt: s.scoringAt, status: status(s.ratings.some((r) => r.raterUnitId === u.id)) });
      }
    }
    for (const d of s.diagnoses) {
      out.push({ key: `${workflowId}:diagnosis:${d.unitId}`, title: `提交${unitName(d.unitId)}调研会诊书面报告`, rule: '第六条（六）', unitId: REFORM_OFFICE_ID, dueAt: d.dueAt, status: d.filedAt ? 'DONE' : 'OPEN' });
    }
    return out;
  }

  async function persist(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }, delta?: RecordDelta): Promise<void> {
    const update = currentUpdateInfo();
    await acts.recordCycle({
      cycleId,
      workflowId,
      year,
      month,
      policyVersion: input.policy.version,
      cycle: { phase: s.phase, seed: s.seed, targets: s.targets, startedAt: s.startedAt, reportDueAt: s.reportDueAt, scoringAt: s.scoringAt, rankedAt: s.ranking?.rankedAt },
      delta,
      event: event && {
        // The update id (the HTTP Idempotency-Key when given) makes the event row idempotent.
        key: `${workflowId}:${update?.id ?? event.step}`,
        step: event.step,
        actorId: event.actor?.officialId,
        at: new Date().toISOString(),
        data: event.data,
      },
      obligations: obligations(),
    });
    upsertSearchAttributes({ DubanState: [s.phase] });
  }

  async function notify(kind: CycleNoticeArgs['kind'], step: string, why: { startEvent: string; startedAt: string; offset: string; rule?: string; dueAt?: string }, extra: Partial<CycleNoticeArgs> = {}) {
    await mail.sendCycleNotice({
      workflowId,
      cycleId,
      kind,
      step,
      explanation: { rule: why.rule ?? RULE, startEvent: why.startEvent, startedAt: why.startedAt, offset: why.offset, dueAt: why.dueAt },
      dueAt: why.dueAt,
      context: {},
      ...extra,
    });
  }

  // ---- updates ---------------------------------------------------------------------

  function requireCollecting(what: string): void {
    if (s.units.length === 0) throw new Error('本月督导正在启动，请稍后再试');
    if (s.phase !== 'COLLECTING') throw new Error(`本月排名已发布（${PHASE_LABELS[s.phase]}），不能再${what}`);
  }

  function findInspection(id: string) {
    const i = s.inspections.find((x) => x.id === id);
    if (!i) throw new Error(`督查记录 ${id} 不存在`);
    return i;
  }

  setHandler(cycleStateQuery, view);

  setHandler(
    submitReportUpdate,
    async (a) => {
      const now = new Date().toISOString();
      const prior = s.reports.find((r) => r.unitId === a.unitId);
      if (prior) {
        // A correction keeps the first submission's time: punctuality is judged once.
        prior.summary = a.summary;
        prior.items = a.items;
      } else {
        s.reports.push({ unitId: a.unitId, submittedBy: a.actor.officialId, submittedAt: now, onTime: now <= s.reportDueAt, summary: a.summary, items: a.items });
      }
      await persist({ step: 'submitReport', actor: a.actor, data: { unitId: a.unitId, items: a.items.length, correction: !!prior } }, { reports: s.reports.filter((r) => r.unitId === a.unitId) });
      return view();
    },
    {
      validator: (a) => {
        requireCollecting('报送调度情况');
        if (!unitKind(a.unitId)) throw new Error(`${a.unitId} 不是本月调度的区县或专项小组`);
      },
    },
  );

  setHandler(
    createInspectionUpdate,
    async (a) => {
      s.seq += 1;
      const insp = { id: `${cycleId}:insp-${s.seq}`, unitId: a.unitId, teamName: a.teamName, leaderId: a.leaderId, reformOfficeIds: a.reformOfficeIds, specialGroupId: a.specialGroupId, departmentIds: a.departmentIds, issues: a.issues, createdBy: a.actor.officialId, createdAt: new Date().toISOString() };
      s.inspections.push(insp);
      await persist({ step: 'createInspection', actor: a.actor, data: { inspectionId: insp.id, unitId: a.unitId, teamName: a.teamName, issues: a.issues.length } }, { inspections: [insp] });
      await notify(
        'ISSUE_LIST',
        `issue-list:${insp.id}`,
        { rule: '第六条（二）', startEvent: '督查组形成问题清单', startedAt: insp.createdAt, offset: '即时', dueAt: s.scoringAt },
        { unitId: a.unitId, officialIds: [a.leaderId], context: { issues: a.issues, teamName: a.teamName, dueAt: s.scoringAt } },
      );
      return view();
    },
    {
      validator: (a) => {
        requireCollecting('新建督查记录');
        // 第六条（二）: the month's targets are all units or the recorded random draw.
        if (!s.targets.includes(a.unitId)) throw new Error(`${unitName(a.unitId)}不在本月督查范围内`);
        if (a.specialGroupId && unitKind(a.specialGroupId) !== 'SPECIAL_GROUP') throw new Error(`${a.specialGroupId} 不是专项小组`);
      },
    },
  );

  setHandler(
    signInspectionUpdate,
    async (a) => {
      const i = findInspection(a.inspectionId);
      const now = new Date().toISOString();
      if (a.party === 'UNIT') {
        i.unitSignedBy = a.actor.officialId;
        i.unitSignedAt = now;
      } else {
        i.leaderSignedBy = a.actor.officialId;
        i.leaderSignedAt = now;
      }
      await persist({ step: 'signInspection', actor: a.actor, data: { inspectionId: i.id, party: a.party, complete: !!(i.unitSignedAt && i.leaderSignedAt) } }, { inspections: [i] });
      return view();
    },
    {
      validator: (a) => {
        requireCollecting('签字确认问题清单');
        const i = findInspection(a.inspectionId);
        // 第六条（二）: signed by the inspected unit's responsible official AND the team leader.
        if (a.party === 'UNIT') {
          if (a.actor.unitId !== i.unitId) throw new Error('只有被督查单位负责同志可以代表被督查单位签字');
          if (i.unitSignedAt) throw new Error('被督查单位已签字确认');
        } else {
          if (a.actor.officialId !== i.leaderId) throw new Error('只有督查组负责人可以代表督查组签字');
          if (i.leaderSignedAt) throw new Error('督查组负责人已签字确认');
        }
      },
    },
  );

  setHandler(
    enterScoreUpdate,
    async (a) => {
      s.seq += 1;
      const entry = { id: `${cycleId}:score-${s.seq}`, unitId: a.unitId, indicatorCode: a.indicatorCode, value: a.value, override: a.override, reason: a.reason, enteredBy: a.actor.officialId, enteredAt: new Date().toISOString() };
      s.entries.push(entry);
      await persist({ step: a.override ? 'overrideScore' : 'enterScore', actor: a.actor, data: { unitId: a.unitId, indicatorCode: a.indicatorCode, value: a.value, reason: a.reason } }, { entries: [entry] });
      return view();
    },
    {
      validator: (a) => {
        requireCollecting('录入或调整评分');
        const kind = unitKind(a.unitId);
        if (!kind) throw new Error(`${a.unitId} 不是本月排名的区县或专项小组`);
        const ind = s.indicators.find((i) => i.code === a.indicatorCode);
        if (!ind) throw new Error(`本年度指标体系中没有指标 ${a.indicatorCode}`);
        if (!ind.appliesTo.includes(kind)) throw new Error(`指标“${ind.name}”不适用于${unitName(a.unitId)}`);
        if (!a.override && ind.method !== 'INSPECTOR') throw new Error(`指标“${ind.name}”由系统根据事实计算，只能调整（须说明理由）`);
        if (a.override && !a.reason) throw new Error('调整评分须说明理由');
        if (a.value < 0 || a.value > ind.weight) throw new Error(`指标“${ind.name}”分值范围为0至${ind.weight}分`);
      },
    },
  );

  setHandler(
    rateTeamUpdate,
    async (a) => {
      const r = { raterId: a.actor.officialId, raterUnitId: a.actor.unitId, teamName: a.teamName, fairMethod: a.fairMethod, fairOrder: a.fairOrder, thorough: a.thorough, clean: a.clean, comment: a.comment, at: new Date().toISOString() };
      // One rating per district and team: a second one replaces the first.
      s.ratings = [...s.ratings.filter((x) => !(x.raterUnitId === r.raterUnitId && x.teamName === r.teamName)), r];
      await persist({ step: 'rateTeam', actor: a.actor, data: { teamName: a.teamName } }, { ratings: [r] });
      return view();
    },
    {
      validator: (a) => {
        // 第六条（三）(2): district heads rate the inspection teams once a quarter.
        if (!quarter) throw new Error(`${month}月不是季度测评月份`);
        requireCollecting('对督查组打分');
        if (unitKind(a.actor.unitId) !== 'DISTRICT') throw new Error('只有区县党政主要负责同志可以对市督查组打分');
        for (const v of [a.fairMethod, a.fairOrder, a.thorough, a.clean]) {
          if (v < 1 || v > p.ratingScale) throw new Error(`每项评分范围为1至${p.ratingScale}分`);
        }
      },
    },
  );

  setHandler(
    closeScoringUpdate,
    async (a) => {
      s.closeRequested = { by: a.actor.officialId, at: new Date().toISOString() };
      await condition(() => s.phase === 'DIAGNOSIS' || s.phase === 'DONE');
      return view();
    },
    { validator: (_a) => requireCollecting('发布排名') },
  );

  setHandler(
    fileDiagnosisUpdate,
    async (a) => {
      const d = s.diagnoses.find((x) => x.unitId === a.unitId)!;
      d.report = a.report;
      d.filedBy = a.actor.officialId;
      d.filedAt = new Date().toISOString();
      await persist({ step: 'fileDiagnosis', actor: a.actor, data: { unitId: a.unitId } }, { diagnoses: [d] });
      // 第六条（六）(2): the written report goes to the city leaders and the departments concerned.
      const departments = [...new Set(s.inspections.filter((i) => i.unitId === a.unitId).flatMap((i) => i.departmentIds))];
      await notify(
        'DIAGNOSIS_REPORT',
        `diagnosis-report:${a.unitId}`,
        { rule: '第六条（六）', startEvent: '会诊组提交书面报告', startedAt: d.filedAt, offset: '即时' },
        { unitId: a.unitId, departmentIds: departments, context: { report: a.report }, createdBy: a.actor.officialId },
      );
      return view();
    },
    {
      validator: (a) => {
        if (s.phase !== 'DIAGNOSIS') throw new Error(s.phase === 'DONE' ? '本月会诊报告均已提交' : '排名尚未发布，尚未安排会诊');
        const d = s.diagnoses.find((x) => x.unitId === a.unitId);
        if (!d) throw new Error(`${unitName(a.unitId)}不是本月会诊对象`);
        if (d.filedAt) throw new Error(`${unitName(a.unitId)}的会诊报告已提交`);
      },
    },
  );

  // ---- 一月一调度 and the inspection draw (at start) -------------------------------------

  if (!input.carried) {
    upsertSearchAttributes({ DubanFamily: ['cycle'] });
    const setup = await acts.loadCycleSetup({ year });
    s.targets = drawTargets(setup.units, p.inspection, s.seed);
    s.indicators = setup.indicators;
    s.units = setup.units; // last: validators accept updates from here on
    upsertSearchAttributes({ DubanUnits: s.units.map((u) => u.id), DubanDueAt: [new Date(s.scoringAt)] });
    await persist({ step: 'start', actor: input.startedBy ? { officialId: input.startedBy, unitId: REFORM_OFFICE_ID } : undefined, data: { seed: s.seed, targets: s.targets, policyVersion: input.policy.version } });
    // Notices to different units are independent: send them concurrently (the worker bounds the concurrency).
    await Promise.all([
      // 第六条（一）: every district and special group reports on the year's roadmap.
      ...s.units.map((u) =>
        notify(
          'DISPATCH',
          `dispatch:${u.id}`,
          { rule: '第六条（一）', startEvent: '月度调度启动', startedAt: periodStart, offset: describeDuration(p.reportDueAfter), dueAt: s.reportDueAt },
          { unitId: u.id, context: { dueAt: s.reportDueAt } },
        ),
      ),
      ...s.targets.map((t) =>
        notify('INSPECTION', `inspection:${t}`, { rule: '第六条（二）', startEvent: '月度督查启动', startedAt: periodStart, offset: describeDuration(p.scoringCloseAfter), dueAt: s.scoringAt }, { unitId: t }),
      ),
    ]);
    if (quarter) {
      await notify(
        'TEAM_RATING_CALL',
        'team-rating-call',
        { rule: '第六条（三）', startEvent: '季度测评启动', startedAt: periodStart, offset: describeDuration(p.scoringCloseAfter), dueAt: s.scoringAt },
        { context: { dueAt: s.scoringAt, ratingScale: p.ratingScale } },
      );
    }
  }

  // ---- 一月一排名 → 一月一通报 → 一月一宣传 → 一月一会诊 -------------------------------------

  async function publish(): Promise<void> {
    // Phase first: from here validators refuse new reports and scores.
    s.phase = 'RANKED';
    const now = new Date();
    const facts = await acts.gatherCycleFacts({ unitIds: s.units.map((u) => u.id), monthStart: monthStart(input.month).toISOString(), monthEnd: monthEnd(input.month).toISOString(), asOf: now.toISOString() });
    const names = await acts.officialNames({ officialIds: [...new Set(s.entries.map((e) => e.enteredBy))] });
    const rules = { lateReportFactor: p.lateReportFactor, issuePenalty: p.issuePenalty, names };
    const scores = s.units.map((u) => {
      const report = s.reports.find((r) => r.unitId === u.id);
      const insps = s.inspections.filter((i) => i.unitId === u.id);
      const signed = insps.filter((i) => i.unitSignedAt && i.leaderSignedAt);
      return scoreUnit(
        u,
        s.indicators,
        {
          ...facts[u.id],
          report: report && { submittedAt: formatShanghai(report.submittedAt), onTime: report.onTime },
          reportDueAt: formatShanghai(s.reportDueAt),
          signedIssues: signed.reduce((n, i) => n + i.issues.length, 0),
          unsignedInspections: insps.length - signed.length,
        },
        s.entries,
        rules,
      );
    });
    const districts = rankUnits(scores.filter((x) => x.kind === 'DISTRICT'), p.tieBreak);
    const groups = rankUnits(scores.filter((x) => x.kind === 'SPECIAL_GROUP'), p.tieBreak);

    // Earlier months: this year's (annual figure), the last few (three in a row), the previous (improvement).
    const months = new Set<string>();
    for (let m = 1; m < month; m++) months.add(`${year}-${String(m).padStart(2, '0')}`);
    let back = input.month;
    for (let i = 1; i < p.specialGroupLastInARow; i++) months.add((back = previousMonth(back)));
    const history = await acts.cycleHistory({ months: [...months] });

    const annual: Ranking['annual'] = {};
    for (const u of [...districts, ...groups]) {
      const totals = Object.keys(history)
        .filter((m) => m.startsWith(`${year}-`))
        .sort()
        .flatMap((m) => history[m].filter((r) => r.unitId === u.unitId).map((r) => r.total));
      const a = annualFigure([...totals, u.total], p.districtAnnualWeight);
      // 第六条（三）(1): only a district's monthly score counts toward its year-end assessment.
      annual[u.unitId] = { monthsCounted: a.monthsCounted, average: a.average, figure: u.kind === 'DISTRICT' ? a.figure : undefined };
    }
    const lastByMonth: Record<string, string[]> = { [input.month]: lastRanked(groups) };
    for (const [m, rows] of Object.entries(history)) {
      const sg = rows.filter((r) => r.unitKind === 'SPECIAL_GROUP');
      const worst = Math.max(...sg.map((r) => r.rank));
      lastByMonth[m] = sg.filter((r) => r.rank === worst).map((r) => r.unitId);
    }
    const inARow = lastInARow(input.month, lastByMonth, p.specialGroupLastInARow);
    const speakers = chooseSpeakers(districts, groups, inARow);
    const prev = history[previousMonth(input.month)] ?? [];
    const prevRanks = Object.fromEntries(prev.map((r) => [r.unitId, r.rank]));
    const improved = [...mostImproved(districts, prevRanks), ...mostImproved(groups, prevRanks)];
    const rankedAt = new Date().toISOString();
    s.ranking = {
      rankedAt,
      districts,
      specialGroups: groups,
      tieRule: tieRuleText(p.tieBreak, s.indicators),
      speakers,
      improved,
      annual,
      teams: quarter ? rankTeams(s.ratings) : undefined,
    };
    await acts.recordRanking({ cycleId, year, month, ranking: s.ranking });
    await persist({ step: 'ranking', actor: s.closeRequested ? { officialId: s.closeRequested.by, unitId: REFORM_OFFICE_ID } : undefined, data: { speakers, improved, inARow } });

    // 一月一通报: the briefing, its meeting and its distribution.
    const meetingAt = addDuration(new Date(rankedAt), p.briefingMeetingAfter).toISOString();
    const groupsOfAttendees = briefingAttendees(month, p.quarterMonths);
    const attendees = await acts.officialsFor({ groups: groupsOfAttendees });
    const missing = s.units.filter((u) => !s.reports.some((r) => r.unitId === u.id)).map((u) => u.id);
    const late = s.reports.filter((r) => !r.onTime).map((r) => r.unitId);
    const signedInsps = s.inspections.filter((i) => i.unitSignedAt && i.leaderSignedAt);
    const highlights = [
      ...speakers.typical.map((id) => `${unitName(id)}本月排名第一（${[...districts, ...groups].find((x) => x.unitId === id)?.total}分）`),
      ...improved.map((x) => `${unitName(x.unitId)}由上月第${x.from}名上升至第${x.to}名，前进幅度较大`),
      `${s.units.length - missing.length - late.length}个单位按时报送月度调度情况`,
    ];
    const problems = [
      ...signedInsps.flatMap((i) => i.issues.map((x) => `${unitName(i.unitId)}：${x.title}`)),
      ...late.map((id) => `${unitName(id)}逾期报送月度调度情况`),
    ];
    const diagnosisUnits = lastRanked(districts);
    const visitAt = addDuration(new Date(rankedAt), p.diagnosisVisitAfter).toISOString();
    const nextMonth = [
      `下月调度启动后${describeDuration(p.reportDueAfter)}内报送改革工作进展情况`,
      ...diagnosisUnits.map((id) => `${formatShanghai(visitAt)}到${unitName(id)}调研会诊`),
      ...signedInsps.filter((i) => i.issues.length).map((i) => `${unitName(i.unitId)}对照问题清单抓好整改`),
    ];
    await acts.writeBriefing({
      cycleId,
      year,
      month,
      rankedAt,
      districts,
      specialGroups: groups,
      annual,
      tieRule: s.ranking.tieRule,
      speakers,
      improved: improved.map((x) => x.unitId),
      highlights,
      problems,
      reportsMissing: missing,
      teams: s.ranking.teams,
      meetingAt,
      nextMonth,
      annualWeight: p.districtAnnualWeight,
      attendees,
    });
    const briefingUrl = `/api/cycles/${cycleId}/briefing`;
    const ranking = {
      districts: districts.map((u) => ({ rank: u.rank, name: u.unitName, total: u.total })),
      specialGroups: groups.map((u) => ({ rank: u.rank, name: u.unitName, total: u.total })),
    };
    const why = { rule: '第六条（四）', startEvent: '月度排名发布', startedAt: rankedAt, offset: '即时' };
    const distribution = notify('BRIEFING', 'briefing', why, { context: { ranking, briefingUrl } });
    const meeting = notify('MEETING', 'meeting', { ...why, offset: describeDuration(p.briefingMeetingAfter) }, {
      officialIds: attendees,
      context: { at: meetingAt, attendees: groupsOfAttendees.map((g) => g.label), typical: speakers.typical.map(unitName), commitment: speakers.commitment.map(unitName) },
    });

    // 一月一宣传: the top-ranked and the most improved; half-year and year winners are interviewed.
    const winners: string[] = [];
    if (p.halfYearMonths.includes(month)) {
      const label = month === 12 ? '全年' : '半年';
      for (const kind of ['DISTRICT', 'SPECIAL_GROUP'] as const) {
        const best = [...districts, ...groups].filter((u) => u.kind === kind).sort((a, b) => annual[b.unitId].average - annual[a.unitId].average)[0];
        if (best) winners.push(`${best.unitName}（${label}排名第一）`);
      }
    }
    // Their material: each featured unit's own monthly report.
    const featured = [...new Set([...speakers.typical, ...improved.map((x) => x.unitId)])];
    const material = featured.flatMap((id) => s.reports.filter((r) => r.unitId === id).map((r) => `${unitName(id)}：${r.summary}`));
    const publicity = notify('PUBLICITY', 'publicity', { ...why, rule: '第六条（五）' }, {
      context: { top: [...speakers.typical.map(unitName)], improved: improved.map((x) => unitName(x.unitId)), winners, material, briefingUrl },
    });
    await Promise.all([distribution, meeting, publicity]);

    // 一月一会诊: the last-ranked district(s).
    const dueAt = addDuration(new Date(visitAt), p.diagnosisReportDueAfter).toISOString();
    s.diagnoses = diagnosisUnits.map((unitId) => ({ unitId, visitAt, dueAt }));
    s.phase = s.diagnoses.length ? 'DIAGNOSIS' : 'DONE';
    if (s.diagnoses.length) upsertSearchAttributes({ DubanDueAt: [new Date(dueAt)] });
    await persist({ step: 'briefing', data: { meetingAt, attendees: attendees.length, diagnoses: diagnosisUnits } }, { diagnoses: s.diagnoses });
    await Promise.all(
      s.diagnoses.map((d) =>
        notify(
          'DIAGNOSIS_VISIT',
          `diagnosis:${d.unitId}`,
          { rule: '第六条（六）', startEvent: '月度排名发布', startedAt: rankedAt, offset: describeDuration(p.diagnosisVisitAfter), dueAt: d.dueAt },
          { unitId: d.unitId, context: { at: d.visitAt, dueAt: d.dueAt } },
        ),
      ),
    );
  }

  // ---- timers ---------------------------------------------------------------------------

  function alarms(): Alarm[] {
    const out: Alarm[] = [];
    if (s.phase === 'COLLECTING') {
      const due = new Date(s.reportDueAt);
      const missing = () => s.units.filter((u) => !s.reports.some((r) => r.unitId === u.id));
      p.remindBefore.forEach((before, i) => {
        out.push({
          key: `report-reminder-${i}`,
          at: subtractDuration(due, before).getTime(),
          fire: async () => {
            await Promise.all(
              missing().map((u) =>
                notify('REPORT_REMINDER', `report-reminder-${i}:${u.id}`, { rule: '第六条（一）', startEvent: '月度调度启动', startedAt: periodStart, offset: `${describeDuration(p.reportDueAfter)}（提前${describeDuration(before)}提醒）`, dueAt: s.reportDueAt }, { unitId: u.id, context: { dueAt: s.reportDueAt } }),
              ),
            );
          },
        });
      });
      p.chaseAfter.forEach((after, i) => {
        out.push({
          key: `report-chase-${i}`,
          at: addDuration(due, after).getTime(),
          fire: async () => {
            await Promise.all(
              missing().map((u) =>
                notify('REPORT_CHASE', `report-chase-${i}:${u.id}`, { rule: '第六条（一）', startEvent: '调度情况报送截止', startedAt: s.reportDueAt, offset: `逾期${describeDuration(after)}`, dueAt: s.reportDueAt }, { unitId: u.id, context: { dueAt: s.reportDueAt, chase: i + 1 } }),
              ),
            );
          },
        });
      });
      out.push({ key: 'publish', at: new Date(s.scoringAt).getTime(), fire: publish });
    }
    if (s.phase === 'DIAGNOSIS') {
      for (const d of s.diagnoses.filter((x) => !x.filedAt)) {
        const due = new Date(d.dueAt);
        p.remindBefore.forEach((before, i) => {
          out.push({
            key: `diagnosis-reminder-${i}:${d.unitId}`,
            at: subtractDuration(due, before).getTime(),
            fire: () => notify('DIAGNOSIS_CHASE', `diagnosis-reminder-${i}:${d.unitId}`, { rule: '第六条（六）', startEvent: '调研会诊', startedAt: d.visitAt, offset: `${describeDuration(p.diagnosisReportDueAfter)}（提前${describeDuration(before)}提醒）`, dueAt: d.dueAt }, { unitId: d.unitId, context: { dueAt: d.dueAt, chase: 0 } }),
          });
        });
        // Chase at every interval after the due date until the report is filed: never silence.
        let k = 1;
        while (fired.has(`diagnosis-chase-${k}:${d.unitId}`)) k++;
        let at = due;
        for (let i = 0; i < k; i++) at = addDuration(at, p.diagnosisChaseEvery);
        const n = k;
        out.push({
          key: `diagnosis-chase-${n}:${d.unitId}`,
          at: at.getTime(),
          fire: () => notify('DIAGNOSIS_CHASE', `diagnosis-chase-${n}:${d.unitId}`, { rule: '第六条（六）', startEvent: '会诊报告截止', startedAt: d.dueAt, offset: `每${describeDuration(p.diagnosisChaseEvery)}（第${n}次）`, dueAt: d.dueAt }, { unitId: d.unitId, context: { dueAt: d.dueAt, chase: n } }),
        });
      }
    }
    return out.filter((a) => !fired.has(a.key));
  }

  const fingerprint = () => JSON.stringify([s.phase, s.reports.length, !!s.closeRequested, s.diagnoses.map((d) => !!d.filedAt)]);
  for (;;) {
    if (s.phase === 'COLLECTING' && s.closeRequested) {
      fired.add('publish');
      await publish();
      continue;
    }
    if (s.phase === 'DIAGNOSIS' && s.diagnoses.every((d) => d.filedAt)) {
      s.phase = 'DONE';
      upsertSearchAttributes({ DubanDueAt: [] }); // no deadline open any more
      await persist({ step: 'done' });
    }
    if (s.phase === 'DONE') break;
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof cycleWorkflow>({ ...input, carried: { ...s, fired: [...fired] } });
    }
    const next = alarms().sort((a, b) => a.at - b.at)[0];
    const seen = fingerprint();
    const changed = next ? await condition(() => fingerprint() !== seen, Math.max(next.at - Date.now(), 1)) : (await condition(() => fingerprint() !== seen), true);
    if (!changed && next && Date.now() >= next.at) {
      fired.add(next.key);
      await next.fire();
    }
  }
  await condition(allHandlersFinished);
  return view();
}

/**
 * What the monthly Temporal Schedule starts (worker/schedules.ts). A schedule
 * appends a timestamp to the workflow ids it starts, so this small workflow
 * starts the month's cycle under its business id ("cycle:2026-11") — a month
 * already started by hand is left alone — with the policy in force.
 */
export async function cycleScheduleWorkflow(): Promise<{ month: string; started: boolean }> {
  // The schedule's nominal time (00:00 on the 1st, Asia/Shanghai) decides the month, not a late start.
  const nominal = workflowInfo().searchAttributes?.TemporalScheduledStartTime?.[0];
  const at = nominal ? new Date(nominal as string | Date) : new Date();
  const month = shanghaiMonth(at);
  const { policy } = await acts.resolveCyclePolicy();
  try {
    await startChild(cycleWorkflow, {
      workflowId: cycleWorkflowId(month),
      args: [{ version: 1, month, policy }],
      // The cycle outlives this starter by weeks.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    return { month, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { month, started: false };
    throw err;
  }
}
