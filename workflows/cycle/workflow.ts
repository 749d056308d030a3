// One workflow per month runs the 六个一 supervision cycle (第六条): dispatch
// (一月一调度) with reminders and chases, inspection (一月一督查) with issue
// lists signed by both parties, scoring and ranking (一月一排名), the briefing
// and its meeting (一月一通报), publicity (一月一宣传) and the diagnosis visit
// to the last-ranked district (一月一会诊), chased until its report is filed.
// Started by a Temporal Schedule (worker/schedules.ts) or by hand; durations
// and thresholds come from input.policy.cycle.
import { ApplicationFailure, condition, continueAsNew, currentUpdateInfo, proxyActivities, setHandler, upsertSearchAttributes, uuid4, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import type { CycleChange } from '../../activities/records';
import { cycleWorkflowId } from '../../common/ids';
import { REFORM_OFFICE_ID } from '../../common/org';
import { deadlineAfter, describeDeadline } from '../../common/policy/calendar';
import { describeDuration } from '../../common/policy/duration';
import { handleCalendarChanges, pending, type MovedDeadline } from '../calendar';
import { unitPolicy } from '../../common/policy/scope';
import { runDuties } from '../duties';
import { Revisions } from '../records';
import { ACTIVITY_RETRY, activities } from '../shared';
import { composeBriefing, composePublicity, historyMonths, rankMonth } from './briefing';
import { cycleDuties, type CycleDuty, type CycleNotice } from './duties';
import {
  closeScoringUpdate,
  createInspectionUpdate,
  cycleReadyUpdate,
  cycleStateQuery,
  enterScoreUpdate,
  fileDiagnosisUpdate,
  rateTeamUpdate,
  recommendUpwardUpdate,
  recordPromotionMeetingUpdate,
  signInspectionUpdate,
  submitReportUpdate,
  type Actor,
  type CycleState,
  type CycleView,
  type CycleWorkflowInput,
} from './messages';
import { cycleObligations } from './obligations';
import { accountableUnit } from './scope';
import { briefingAttendees, departmentIndicators, departmentsOf, drawTargets, mutualInspectionRefusal, isQuarterMonth, monthEnd, monthStart, parseMonth, PHASE_LABELS, reportDueOf, shanghaiMonth, type UnitKind } from './state';
import { scheduledAt, startPeriodOnce } from '../schedule';

const acts = activities;
// The briefing goes to every city leader, district head and department head in one notice: more time per attempt
// (a retry resends only to recipients not yet SENT).
const mail = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '10 minutes', retry: ACTIVITY_RETRY });

type Children = Omit<CycleChange, 'family' | 'cycle'>;

export async function cycleWorkflow(input: CycleWorkflowInput): Promise<CycleView> {
  const parsed = parseMonth(input.month);
  if (!parsed) throw ApplicationFailure.nonRetryable(`invalid month ${input.month}`, 'InvalidCycleMonth');
  const { year, month } = parsed;
  const p = input.policy.cycle;
  // 第二十一条: a unit's report is due, reminded and chased under its own policy; scoring and ranking are the city's.
  const pOf = (unitId: string) => unitPolicy(input, unitId).cycle;
  const workflowId = workflowInfo().workflowId;
  const cycleId = input.month;
  const quarter = isQuarterMonth(month, p.quarterMonths);
  // The month's clocks start on its 1st, 00:00 Shanghai (第六条), whenever the cycle is started: a
  // catch-up started a day late keeps the month's dates.
  const periodStart = monthStart(input.month).toISOString();
  // 第六条: the report's and the scores' deadlines from the month's 1st, as dates on the policy's calendar.
  // 第二十一条: a unit's report by its own term (the rest is the city's); the calendar is the city's.
  const reportDeadline = (unitId?: string) => deadlineAfter(periodStart, (unitId ? pOf(unitId) : p).reportDueAfter, input.policy.calendar);
  const scoringDeadline = () => deadlineAfter(periodStart, p.scoringCloseAfter, input.policy.calendar);
  const diagnosisDeadline = (visitAt: string) => deadlineAfter(visitAt, p.diagnosisReportDueAfter, input.policy.calendar);
  const s: CycleState = input.carried ?? {
    phase: 'COLLECTING',
    startedAt: new Date().toISOString(),
    reportDueAt: reportDeadline().at,
    scoringAt: scoringDeadline().at,
    // Recorded with the cycle so the draw can be reproduced; uuid4() is deterministic in workflow code.
    seed: input.seed ?? uuid4(),
    units: [],
    subunits: [],
    indicators: [],
    targets: [],
    reports: [],
    inspections: [],
    entries: [],
    ratings: [],
    diagnoses: [],
    promotionMeetings: [],
    upwardRecommendations: [],
    fired: [],
    seq: 0,
    revision: 0,
  };
  const fired = new Set(s.fired);
  const revisions = new Revisions(s.revision);
  /** Set once the ranking's record is written: closing scoring answers then. */
  let rankingRecorded = false;
  /** Set once the month's start is recorded (a continued run started long ago). */
  let startRecorded = !!input.carried;
  const carried = (): CycleState => ({ ...s, fired: [...fired], revision: revisions.revision });
  /** A unit's own report due date, where its policy gives another (never after scoring closes: the ranking is the city's). */
  const ownReportDue = (unitId: string): { reportDueAt?: string } => {
    const own = reportDeadline(unitId).at;
    const due = own < s.scoringAt ? own : s.scoringAt;
    return due === s.reportDueAt ? {} : { reportDueAt: due };
  };
  const unitName = (id: string) => (s.units.find((u) => u.id === id) ?? s.subunits.find((u) => u.id === id))?.name ?? id;
  const unitKind = (id: string): UnitKind | undefined => s.units.find((u) => u.id === id)?.kind;

  const view = (): CycleView => {
    const { fired: _f, seq: _q, ...rest } = carried();
    return { ...rest, month: input.month, policyVersion: input.policy.version, quarter };
  };

  /**
   * Records the current state as the next revision, with the step that led to
   * it and the month's rows it touched. Call where the state changed, before
   * any await: the change is numbered and copied at the call.
   */
  function record(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }, children: Children = {}): Promise<void> {
    const update = currentUpdateInfo();
    upsertSearchAttributes({ DubanState: [s.phase] });
    return acts.recordChange({
      family: 'cycle',
      workflowId,
      subjectId: cycleId,
      revision: revisions.next(),
      at: new Date().toISOString(),
      cycle: { year, month, policyVersion: input.policy.version, quarter, phase: s.phase, seed: s.seed, targets: [...s.targets], startedAt: s.startedAt, reportDueAt: s.reportDueAt, scoringAt: s.scoringAt },
      ...(JSON.parse(JSON.stringify(children)) as Children),
      // The update id (the HTTP Idempotency-Key when given) keys the step's event.
      event: event && { key: `${workflowId}:${update?.id ?? event.step}`, step: event.step, actorId: event.actor?.officialId, data: event.data },
      obligations: revisions.obligations(cycleObligations(s, workflowId, input.month, quarter)),
    });
  }

  // A new calendar moves the deadlines not yet reached of what is still owed.
  handleCalendarChanges(
    input.policy,
    () => {
      const moved: MovedDeadline[] = [];
      const now = Date.now();
      if (s.phase === 'COLLECTING') {
        s.reportDueAt = pending(s.reportDueAt, now, () => reportDeadline().at, 'report', moved)!;
        s.scoringAt = pending(s.scoringAt, now, () => scoringDeadline().at, 'scoring', moved)!;
        for (const u of s.units.filter((x) => x.reportDueAt)) u.reportDueAt = pending(u.reportDueAt, now, () => ownReportDue(u.id).reportDueAt ?? s.reportDueAt, `report:${u.id}`, moved);
      }
      for (const d of s.diagnoses.filter((x) => !x.filedAt)) d.dueAt = pending(d.dueAt, now, () => diagnosisDeadline(d.visitAt).at, `diagnosis:${d.unitId}`, moved)!;
      return moved;
    },
    (event) => record(event, { diagnoses: s.diagnoses }),
  );

  async function notify(n: CycleNotice, extra: { officialIds?: string[]; departmentIds?: string[]; unitIds?: string[]; createdBy?: string } = {}) {
    await mail.sendCycleNotice({ workflowId, cycleId, kind: n.kind, step: n.step, explanation: n.why, dueAt: n.why.dueAt, unitId: n.unitId, context: n.context, ...extra });
  }

  // ---- updates ---------------------------------------------------------------------

  function requireCollecting(what: string): void {
    if (s.units.length === 0) throw new Error('本月督导正在启动，请稍后再试');
    if (s.phase !== 'COLLECTING') throw new Error(`本月排名已发布（${PHASE_LABELS[s.phase]}），不能再${what}`);
  }

  /** A record of the month (a meeting held, a recommendation sent) is dated within it. */
  function requireMonthDay(iso: string, what: string): void {
    if (s.units.length === 0) throw new Error('本月督导正在启动，请稍后再试');
    const at = Date.parse(iso);
    if (!(at >= monthStart(input.month).getTime() && at < monthEnd(input.month).getTime())) throw new Error(`${what}须在${year}年${month}月内`);
  }

  function findInspection(id: string) {
    const i = s.inspections.find((x) => x.id === id);
    if (!i) throw new Error(`督查记录 ${id} 不存在`);
    return i;
  }

  setHandler(cycleStateQuery, view);
  setHandler(cycleReadyUpdate, async () => {
    await condition(() => startRecorded);
    return view();
  });

  setHandler(
    submitReportUpdate,
    async (a) => {
      const now = new Date().toISOString();
      let report = s.reports.find((r) => r.unitId === a.unitId);
      const correction = !!report;
      if (report) {
        // A correction keeps the first submission's time: punctuality is judged once.
        report.summary = a.summary;
        report.items = a.items;
      } else {
        report = { unitId: a.unitId, submittedBy: a.actor.officialId, submittedAt: now, dueAt: reportDueOf(s, a.unitId), onTime: now <= reportDueOf(s, a.unitId), summary: a.summary, items: a.items };
        s.reports.push(report);
      }
      await record({ step: 'submitReport', actor: a.actor, data: { unitId: a.unitId, items: a.items.length, correction } }, { reports: [report] });
      return view();
    },
    {
      validator: (a) => {
        requireCollecting('报送调度情况');
        if (!unitKind(a.unitId)) throw new Error(`${a.unitId} 不是本月调度的区县、专项小组或承担改革任务的部门`);
      },
    },
  );

  setHandler(
    createInspectionUpdate,
    async (a) => {
      s.seq += 1;
      const insp = { id: `${cycleId}:insp-${s.seq}`, unitId: a.unitId, teamName: a.teamName, leaderId: a.leaderId, ...(a.peerUnitId ? { peerUnitId: a.peerUnitId } : {}), reformOfficeIds: a.reformOfficeIds, specialGroupId: a.specialGroupId, departmentIds: a.departmentIds, issues: a.issues, opinions: a.opinions ?? [], createdBy: a.actor.officialId, createdAt: new Date().toISOString() };
      s.inspections.push(insp);
      const recorded = record({ step: 'createInspection', actor: a.actor, data: { inspectionId: insp.id, unitId: a.unitId, teamName: a.teamName, peerUnitId: a.peerUnitId, issues: a.issues.length, opinions: insp.opinions.length } }, { inspections: [insp] });
      await notify(
        { kind: 'ISSUE_LIST', step: `issue-list:${insp.id}`, why: { rule: '第六条（二）', startEvent: '督查组形成问题清单', startedAt: insp.createdAt, offset: '即时', dueAt: s.scoringAt }, unitId: a.unitId, context: { issues: a.issues, teamName: a.teamName, dueAt: s.scoringAt, ...(a.peerUnitId ? { peerName: unitName(a.peerUnitId) } : {}) } },
        { officialIds: [a.leaderId] },
      );
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        requireCollecting('新建督查记录');
        // 第六条（二）: the month's targets are all units or the recorded random draw; 第七条: a target
        // district's inspection may reach its townships and its own special groups.
        if (!s.targets.includes(accountableUnit(a.unitId, s.subunits))) throw new Error(`${unitName(a.unitId)}不在本月督查范围内`);
        if (a.specialGroupId && unitKind(a.specialGroupId) !== 'SPECIAL_GROUP') throw new Error(`${unitName(a.specialGroupId)}不是市专项小组`);
        if (a.specialGroupId === a.unitId) throw new Error('专项小组不能参加对本小组的督查');
        // 第十条（一） 互督互查: a peer district or city special group inspects, recorded by the peer itself, never itself.
        if (a.peerUnitId) {
          const refused = mutualInspectionRefusal({ peerUnitId: a.peerUnitId, accountableUnitId: accountableUnit(a.unitId, s.subunits), actorUnitId: a.actor.unitId }, s.units, unitName);
          if (refused) throw new Error(refused);
          return;
        }
        // 第十条（一）: when the office asks for "1+1+n" joint inspections, the reform office's own (以上督下) team has
        // one city special group and at least the policy's number of departments beside the reform office.
        const joint = p.jointInspection;
        if (joint.required && !a.specialGroupId) throw new Error('本月督查须采取“1+1+n”联合督查：须有1个市专项小组参加');
        if (joint.required && a.departmentIds.length < joint.departments) throw new Error(`本月督查须采取“1+1+n”联合督查：须有至少${joint.departments}个市直部门参加`);
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
      await record({ step: 'signInspection', actor: a.actor, data: { inspectionId: i.id, party: a.party, complete: !!(i.unitSignedAt && i.leaderSignedAt) } }, { inspections: [i] });
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
      await record({ step: a.override ? 'overrideScore' : 'enterScore', actor: a.actor, data: { unitId: a.unitId, indicatorCode: a.indicatorCode, value: a.value, reason: a.reason } }, { entries: [entry] });
      return view();
    },
    {
      validator: (a) => {
        requireCollecting('录入或调整评分');
        const kind = unitKind(a.unitId);
        if (!kind) throw new Error(`${a.unitId} 不是本月排名的区县或专项小组`);
        // 第十条（二）: a department's indicators are its own set's (the same code may name another in the year's set).
        const ind = s.indicators.find((i) => i.code === a.indicatorCode && i.appliesTo.includes(kind)) ?? s.indicators.find((i) => i.code === a.indicatorCode);
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
      await record({ step: 'rateTeam', actor: a.actor, data: { teamName: a.teamName } }, { ratings: [r] });
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
      // The duty loop publishes the ranking at once; the answer waits until it is recorded.
      s.closeRequested = { by: a.actor.officialId, at: new Date().toISOString() };
      await record({ step: 'closeScoring', actor: a.actor, data: { note: a.note } });
      await condition(() => rankingRecorded);
      return view();
    },
    { validator: (_a) => requireCollecting('发布排名') },
  );

  setHandler(
    recordPromotionMeetingUpdate,
    async (a) => {
      s.seq += 1;
      const meeting = { id: `${cycleId}:promo-${s.seq}`, heldAt: a.heldAt, districtId: a.districtId, shown: a.shown, attendeeUnitIds: a.attendeeUnitIds, recordedBy: a.actor.officialId, recordedAt: new Date().toISOString() };
      (s.promotionMeetings ??= []).push(meeting);
      const recorded = record({ step: 'recordPromotionMeeting', actor: a.actor, data: { meetingId: meeting.id, districtId: a.districtId, heldAt: a.heldAt, attendees: a.attendeeUnitIds.length } }, { promotionMeetings: [meeting] });
      // 第六条（四）(3): the units invited are told where, when and what they will see.
      await notify(
        { kind: 'PROMOTION_MEETING', step: `promotion-meeting:${meeting.id}`, why: { rule: '第六条（四）', startEvent: '市委改革办安排现场推进会', startedAt: meeting.recordedAt, offset: '即时' }, unitId: a.districtId, context: { at: a.heldAt, shown: a.shown } },
        { unitIds: a.attendeeUnitIds, createdBy: a.actor.officialId },
      );
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        // 第六条（四）(3): "适时" — no timer, but the host is an advanced district of this month's cycle, on a day of this month.
        requireMonthDay(a.heldAt, '现场推进会日期');
        if (unitKind(a.districtId) !== 'DISTRICT') throw new Error(`${unitName(a.districtId)}不是本月督导的区县，不能承办现场推进会`);
      },
    },
  );

  setHandler(
    recommendUpwardUpdate,
    async (a) => {
      s.seq += 1;
      const rec = { id: `${cycleId}:upward-${s.seq}`, unitIds: a.unitIds, highlight: a.highlight, channel: a.channel, recipient: a.recipient, sentAt: a.sentAt, recordedBy: a.actor.officialId, recordedAt: new Date().toISOString() };
      (s.upwardRecommendations ??= []).push(rec);
      await record({ step: 'recommendUpward', actor: a.actor, data: { recommendationId: rec.id, unitIds: a.unitIds, recipient: a.recipient } }, { upwardRecommendations: [rec] });
      return view();
    },
    {
      validator: (a) => {
        // 第六条（五）(3): "积极向上推介" — no timer; the highlights are the city's or this month's districts'.
        requireMonthDay(a.sentAt, '向上推介日期');
        const outside = a.unitIds.filter((id: string) => unitKind(id) !== 'DISTRICT');
        if (outside.length) throw new Error(`${outside.map(unitName).join('、')}不是本月督导的区县`);
      },
    },
  );

  setHandler(
    fileDiagnosisUpdate,
    async (a) => {
      const d = s.diagnoses.find((x) => x.unitId === a.unitId)!;
      d.report = a.report;
      d.filedBy = a.actor.officialId;
      d.filedAt = new Date().toISOString();
      const recorded = record({ step: 'fileDiagnosis', actor: a.actor, data: { unitId: a.unitId } }, { diagnoses: [d] });
      // 第六条（六）(2): the written report goes to the city leaders and the departments concerned.
      const departments = [...new Set(s.inspections.filter((i) => accountableUnit(i.unitId, s.subunits) === a.unitId).flatMap((i) => i.departmentIds))];
      await notify(
        { kind: 'DIAGNOSIS_REPORT', step: `diagnosis-report:${a.unitId}`, why: { rule: '第六条（六）', startEvent: '会诊组提交书面报告', startedAt: d.filedAt, offset: '即时' }, unitId: a.unitId, context: { report: a.report } },
        { departmentIds: departments, createdBy: a.actor.officialId },
      );
      await recorded;
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
    // 第十条（二）: the departments carrying reform tasks join the month (policy departments.enabled), on their own indicators.
    const departments = departmentsOf(p);
    const setup = await acts.loadCycleSetup({ year, departments: departments.enabled });
    s.targets = drawTargets(setup.units, p.inspection, s.seed, departments.inspect);
    s.subunits = setup.subunits;
    s.indicators = setup.units.some((u) => u.kind === 'DEPARTMENT') ? [...setup.indicators, ...departmentIndicators(departments.indicators)] : setup.indicators;
    s.units = setup.units.map((u) => ({ ...u, ...ownReportDue(u.id) })); // last: validators accept updates from here on
    upsertSearchAttributes({ DubanUnits: s.units.map((u) => u.id), DubanDueAt: [new Date(s.scoringAt)] });
    await record({ step: 'start', actor: input.startedBy ? { officialId: input.startedBy, unitId: REFORM_OFFICE_ID } : undefined, data: { seed: s.seed, targets: s.targets, policyVersion: input.policy.version } });
    startRecorded = true;
    const dispatch = (u: string) => ({ rule: '第六条（一）', startEvent: '月度调度启动', startedAt: periodStart, offset: describeDeadline(pOf(u).reportDueAfter, reportDeadline(u)), dueAt: reportDueOf(s, u) });
    const inspection = { rule: '第六条（二）', startEvent: '月度督查启动', startedAt: periodStart, offset: describeDeadline(p.scoringCloseAfter, scoringDeadline()), dueAt: s.scoringAt };
    // Notices to different units are independent: send them concurrently (the worker bounds the concurrency).
    await Promise.all([
      // 第六条（一）: every district and special group reports on the year's roadmap; 第十条（二）: so does every department in the month.
      ...s.units.map((u) => notify({ kind: 'DISPATCH', step: `dispatch:${u.id}`, why: dispatch(u.id), unitId: u.id, context: { dueAt: reportDueOf(s, u.id) } })),
      ...s.targets.map((t) => notify({ kind: 'INSPECTION', step: `inspection:${t}`, why: inspection, unitId: t, context: {} })),
    ]);
    if (quarter) {
      await notify({ kind: 'TEAM_RATING_CALL', step: 'team-rating-call', why: { ...inspection, rule: '第六条（三）', startEvent: '季度测评启动' }, context: { dueAt: s.scoringAt, ratingScale: p.ratingScale } });
    }
  }

  // ---- 一月一排名 → 一月一通报 → 一月一宣传 → 一月一会诊 -------------------------------------

  async function publish(): Promise<void> {
    // Phase first: from here validators refuse new reports and scores.
    s.phase = 'RANKED';
    const asOf = new Date().toISOString();
    const [facts, names, history, evaluations] = await Promise.all([
      acts.gatherCycleFacts({ unitIds: s.units.map((u) => u.id), monthStart: periodStart, monthEnd: monthEnd(input.month).toISOString(), asOf }),
      acts.officialNames({ officialIds: [...new Set(s.entries.map((e) => e.enteredBy))] }),
      acts.cycleHistory({ months: historyMonths(input.month, p) }),
      // 第十四条（三）(6): read from the evaluation's record, not signalled: the evaluation decides when no month's cycle may be running.
      acts.evaluationsToAnnounce({ month: input.month, asOf }),
    ]);
    const { ranking, inARow } = rankMonth({ month: input.month, state: s, facts, names, history, rankedAt: new Date().toISOString(), quarter, policy: p });
    s.ranking = ranking;
    const briefing = composeBriefing(s, ranking, p, unitName);
    const attendeeGroups = briefingAttendees(month, p.quarterMonths);
    const attendees = await acts.officialsFor({ groups: attendeeGroups });
    // 一月一会诊: the last-ranked district(s), visited and reported on.
    const dueAt = diagnosisDeadline(briefing.visitAt).at;
    s.diagnoses = briefing.diagnosisUnits.map((unitId) => ({ unitId, visitAt: briefing.visitAt, dueAt }));
    s.phase = s.diagnoses.length ? 'DIAGNOSIS' : 'DONE';
    upsertSearchAttributes({ DubanDueAt: s.diagnoses.length ? [new Date(dueAt)] : [] });
    await record(
      { step: 'ranking', actor: s.closeRequested ? { officialId: s.closeRequested.by, unitId: REFORM_OFFICE_ID } : undefined, data: { speakers: ranking.speakers, improved: ranking.improved, inARow, meetingAt: briefing.meetingAt, attendees: attendees.length, diagnoses: briefing.diagnosisUnits, evaluations: evaluations.map((e) => e.year) } },
      {
        ranking,
        diagnoses: s.diagnoses,
        briefing: {
          year,
          month,
          rankedAt: ranking.rankedAt,
          districts: ranking.districts,
          specialGroups: ranking.specialGroups,
          departments: ranking.departments,
          departmentTieRule: ranking.departmentTieRule,
          annual: ranking.annual,
          tieRule: ranking.tieRule,
          speakers: ranking.speakers,
          improved: ranking.improved.map((x) => x.unitId),
          highlights: briefing.highlights,
          problems: briefing.problems,
          reportsMissing: briefing.reportsMissing,
          teams: ranking.teams,
          meetingAt: briefing.meetingAt,
          nextMonth: briefing.nextMonth,
          annualWeight: p.districtAnnualWeight,
          areas: briefing.areas,
          opinions: briefing.opinions,
          mutual: briefing.mutual,
          promotionMeetings: s.promotionMeetings ?? [],
          evaluations,
          attendees,
        },
      },
    );
    rankingRecorded = true;

    // 一月一通报: the briefing's distribution and its meeting; 一月一宣传; the diagnosis visits.
    const briefingUrl = `/api/cycles/${cycleId}/briefing`;
    const table = {
      districts: ranking.districts.map((u) => ({ rank: u.rank, name: u.unitName, total: u.total })),
      specialGroups: ranking.specialGroups.map((u) => ({ rank: u.rank, name: u.unitName, total: u.total })),
      ...(ranking.departments ? { departments: ranking.departments.map((u) => ({ rank: u.rank, name: u.unitName, total: u.total })) } : {}),
    };
    const why = { rule: '第六条（四）', startEvent: '月度排名发布', startedAt: ranking.rankedAt, offset: '即时' };
    await Promise.all([
      notify({ kind: 'BRIEFING', step: 'briefing', why, context: { ranking: table, briefingUrl } }),
      notify(
        {
          kind: 'MEETING',
          step: 'meeting',
          why: { ...why, offset: describeDuration(p.briefingMeetingAfter) },
          context: { at: briefing.meetingAt, attendees: attendeeGroups.map((g) => g.label), typical: ranking.speakers.typical.map(unitName), commitment: ranking.speakers.commitment.map(unitName) },
        },
        { officialIds: attendees },
      ),
      notify({ kind: 'PUBLICITY', step: 'publicity', why: { ...why, rule: '第六条（五）' }, context: { ...composePublicity(s, ranking, input.month, history, p, unitName), briefingUrl } }),
      ...s.diagnoses.map((d) =>
        notify({
          kind: 'DIAGNOSIS_VISIT',
          step: `diagnosis:${d.unitId}`,
          why: { rule: '第六条（六）', startEvent: '月度排名发布', startedAt: ranking.rankedAt, offset: describeDuration(p.diagnosisVisitAfter), dueAt: d.dueAt },
          unitId: d.unitId,
          context: { at: d.visitAt, dueAt: d.dueAt },
        }),
      ),
    ]);
  }

  // ---- timed duties ---------------------------------------------------------------------

  await runDuties<CycleDuty>({
    due: () => cycleDuties(s, p, periodStart, fired, pOf),
    fired,
    revision: () => revisions.revision,
    finished: () => s.phase === 'DONE',
    continueAsNew: () => continueAsNew<typeof cycleWorkflow>({ ...input, carried: carried() }),
    async fire(d) {
      if (d.publish) return publish();
      if (d.done) {
        s.phase = 'DONE';
        upsertSearchAttributes({ DubanDueAt: [] }); // no deadline open any more
        return record({ step: 'done' });
      }
      await Promise.all(d.notices.map((n) => notify(n)));
    },
  });
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
  const month = shanghaiMonth(scheduledAt());
  const { policy, unitPolicies } = await acts.resolveCyclePolicy();
  // A month runs once: a trigger or catch-up after its cycle has closed starts nothing (第六条: one cycle a month).
  return { month, started: await startPeriodOnce(cycleWorkflow, cycleWorkflowId(month), { version: 1, month, policy, unitPolicies }) };
}
