// One workflow per selected innovation experience runs its city-wide rollout
// (第十四条): the reform office's 实施意见 starts the clocks → the lead
// department's 实施方案 within one week, approved by the city leader in charge
// → the deployment meeting within two weeks of it, and each district's own on
// the same timeline (judged by the date held) → every district's 实施意见
// and 实施方案 within one month, approved by its reform office director →
// tracking with monthly bulletins → consolidation (problems → rectification
// plans) → township rollout (at least 2 per district) → acceptance reports at
// the end of June / December and the reform office's summary by 10 July /
// 10 January, with its verdict on each unit, sent to the director and
// circulated city-wide. Every open duty is reminded before and chased after its
// deadline; durations come from the policy in the input.
import { continueAsNew, currentUpdateInfo, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { RolloutNoticeKind, RolloutTerms } from '../../activities/innovationTexts';
import { REFORM_OFFICE_ID } from '../../common/org';
import { deadlineAfter, describeDeadline } from '../../common/policy/calendar';
import { describeDuration, formatShanghai } from '../../common/policy/duration';
import { handleCalendarChanges, pending, type MovedDeadline } from '../calendar';
import { unitPolicy } from '../../common/policy/scope';
import { runDuties } from '../duties';
import { Revisions } from '../records';
import { activities } from '../shared';
import { rolloutTimed, type RolloutTimed } from './duties';
import { rolloutObligations } from './obligations';
import {
  approveDistrictPlanUpdate,
  approveLeadPlanUpdate,
  recordMeetingUpdate,
  recordProblemsUpdate,
  reportTownshipsUpdate,
  rolloutQuery,
  submitAcceptanceReportUpdate,
  submitDistrictPlanUpdate,
  submitLeadPlanUpdate,
  submitRectificationUpdate,
  submitSummaryUpdate,
  type Actor,
  type RolloutCarried,
  type RolloutInput,
  type RolloutView,
  type SummaryArgs,
} from './messages';
import { acceptancePeriod, DUTY_LABELS, meetingDateRefusal, townshipRefusal, type AcceptanceVerdict, type Duty, type DutyKind } from './state';

const { recordChange, sendRolloutNotice } = activities;

const RULE = '第十四条';
type RolloutTerm = 'leadPlanWithin' | 'meetingWithin' | 'districtPlanWithin' | 'townshipWithin' | 'rectificationWithin';


export async function rolloutWorkflow(input: RolloutInput): Promise<RolloutView> {
  // 第二十一条: a duty runs under the policy of the unit that owes it (a district's plan deadline, the
  // lead department's); the acceptance dates and the bulletin are the city's (the reform office's).
  const p = input.policy.innovation.rollout;
  const pOf = (unitId: string) => unitPolicy(input, unitId).innovation.rollout;
  const workflowId = workflowInfo().workflowId;
  const s: RolloutCarried = input.carried ?? initial(input, new Date());
  const fired = new Set(s.fired);
  const revisions = new Revisions(s.revision);
  const carried = (): RolloutCarried => ({ ...s, fired: [...fired], revision: revisions.revision });
  const acceptance = acceptancePeriod(new Date(s.startedAt), p.acceptance);

  const view = (): RolloutView => ({
    rolloutId: input.rolloutId,
    title: input.title,
    state: s.state,
    startedAt: s.startedAt,
    acceptance,
    duties: s.duties,
    bulletins: s.bulletins,
    policyVersion: input.policy.version,
    revision: revisions.revision,
  });
  const duty = (name: string) => s.duties.find((d) => d.name === name);
  const openDuty = (name: string, what: string): Duty => {
    if (s.state === 'ACCEPTED') throw new Error('该经验已完成验收，不能再办理');
    const d = duty(name);
    if (!d) throw new Error(`没有“${what}”这项任务`);
    if (d.doneAt) throw new Error(`“${d.title}”已完成`);
    return d;
  };

  /** The duties the rollout starts with (第十四条); the meeting and rectifications are added later. */
  function initial(i: RolloutInput, now: Date): RolloutCarried {
    const at = now.toISOString();
    const acc = acceptancePeriod(now, i.policy.innovation.rollout.acceptance);
    const start = `市委改革办印发实施意见（${i.opinion.docNumber}）`;
    const reportMonths = p.acceptance.reportMonths.map((mo) => `${mo}月`).join('、');
    const duties: Duty[] = [
      timed('lead-plan', 'LEAD_PLAN', i.leadUnitId, start, at, 'leadPlanWithin'),
      ...i.districtIds.map((d) => timed(`district-plan:${d}`, 'DISTRICT_PLAN', d, start, at, 'districtPlanWithin')),
      ...(i.townshipApplies ? i.districtIds.map((d) => timed(`township:${d}`, 'TOWNSHIP', d, start, at, 'townshipWithin')) : []),
      ...[i.leadUnitId, ...i.districtIds].map((u) => fixed(`acceptance-report:${u}`, 'ACCEPTANCE_REPORT', u, at, acc.reportDueAt, `${acc.label}验收，${reportMonths}底前报送`)),
      fixed('summary', 'SUMMARY', REFORM_OFFICE_ID, at, acc.summaryDueAt, `${acc.label}验收，次月${p.acceptance.summaryDay}日前完成`),
    ];
    return { state: 'RUNNING', startedAt: at, duties, fired: [], bulletins: 0, problemSeq: 0, revision: 0 };
  }

  /** A duty due by the owing unit's term (its policy, 第二十一条) after `startedAt`, a date on the city's calendar. */
  function deadlineOf(unitId: string, term: RolloutTerm, startedAt: string): Pick<Duty, 'offset' | 'dueAt'> {
    const within = pOf(unitId)[term];
    const due = deadlineAfter(startedAt, within, input.policy.calendar);
    return { offset: describeDeadline(within, due), dueAt: due.at };
  }
  function timed(name: string, kind: DutyKind, unitId: string, startEvent: string, startedAt: string, term: RolloutTerm, title = DUTY_LABELS[kind]): Duty {
    return { name, kind, unitId, title, startEvent, startedAt, ...deadlineOf(unitId, term, startedAt), chases: 0 };
  }
  /** The policy term a duty's deadline counts (第十四条); the acceptance dates are fixed days, not counted. */
  const TERM: Partial<Record<DutyKind, RolloutTerm>> = {
    LEAD_PLAN: 'leadPlanWithin',
    MEETING: 'meetingWithin',
    DISTRICT_MEETING: 'meetingWithin',
    DISTRICT_PLAN: 'districtPlanWithin',
    TOWNSHIP: 'townshipWithin',
    RECTIFICATION: 'rectificationWithin',
  };

  // A new calendar moves the deadlines not yet reached of the duties still open.
  handleCalendarChanges(
    input.policy,
    () => {
      const moved: MovedDeadline[] = [];
      const now = Date.now();
      for (const d of s.duties) {
        const term = TERM[d.kind];
        if (!term || d.doneAt) continue;
        d.dueAt = pending(d.dueAt, now, () => {
          const next = deadlineOf(d.unitId, term, d.startedAt);
          d.offset = next.offset;
          return next.dueAt;
        }, d.name, moved)!;
      }
      return moved;
    },
    (event) => record(event),
  );
  function fixed(name: string, kind: DutyKind, unitId: string, startedAt: string, dueAt: string, offset: string): Duty {
    return { name, kind, unitId, title: DUTY_LABELS[kind], startEvent: '创新改革经验推广实施', startedAt, offset, dueAt, chases: 0 };
  }

  /**
   * Records the current state (its board of duties) as the next revision, with
   * the step that led to it. Call where the state changed, before any await.
   */
  function record(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }): Promise<void> {
    const update = currentUpdateInfo();
    upsertSearchAttributes({ DubanState: [s.state] });
    return recordChange({
      family: 'rollout',
      workflowId,
      subjectId: input.rolloutId,
      revision: revisions.next(),
      at: new Date().toISOString(),
      rollout: {
        selectionId: input.selectionId,
        candidateId: input.candidateId,
        title: input.title,
        leadUnitId: input.leadUnitId,
        leaderInChargeId: input.leaderInChargeId,
        districtIds: input.districtIds,
        townshipApplies: input.townshipApplies,
        state: s.state,
        duties: JSON.parse(JSON.stringify(s.duties)) as Duty[],
        startedAt: s.startedAt,
        reportDueAt: acceptance.reportDueAt,
        summaryDueAt: acceptance.summaryDueAt,
        acceptedAt: s.acceptedAt,
      },
      event: event && { key: `${workflowId}:${update?.id ?? event.step}`, step: event.step, actorId: event.actor?.officialId, data: event.data },
      obligations: revisions.obligations(rolloutObligations(s, workflowId, input.leaderInChargeId)),
    });
  }

  async function notify(kind: RolloutNoticeKind, step: string, d?: Duty, extra: { chase?: number; escalate?: boolean; summary?: SummaryArgs } = {}): Promise<void> {
    await sendRolloutNotice({
      rolloutId: input.rolloutId,
      workflowId,
      kind,
      step,
      duty: d,
      title: input.title,
      leadUnitId: input.leadUnitId,
      leaderInChargeId: input.leaderInChargeId,
      districtIds: input.districtIds,
      opinion: input.opinion,
      duties: kind === 'BULLETIN' || kind === 'SUMMARY' ? s.duties : undefined,
      terms: kind === 'START' ? startTerms() : undefined,
      asOf: new Date().toISOString(),
      explanation: d
        ? { rule: RULE, startEvent: d.startEvent, startedAt: d.startedAt, offset: d.offset, dueAt: d.dueAt }
        : { rule: RULE, startEvent: '创新改革经验推广实施', startedAt: s.startedAt, offset: kind === 'BULLETIN' ? `每${describeDuration(p.bulletinEvery)}` : '即时' },
      chase: extra.chase,
      escalate: extra.escalate,
      summary: extra.summary && { docNumber: extra.summary.docNumber, title: extra.summary.title },
    });
  }

  /** The 实施意见's terms: the lead department's own, the city's for the districts, and each district's own where it differs. */
  function startTerms(): RolloutTerms {
    const lead = pOf(input.leadUnitId);
    const own = input.districtIds
      .map((unitId) => ({ unitId, districtPlanWithin: describeDeadline(pOf(unitId).districtPlanWithin), minTownships: pOf(unitId).minTownships }))
      .filter((t) => t.districtPlanWithin !== describeDeadline(p.districtPlanWithin) || t.minTownships !== p.minTownships);
    return {
      leadPlanWithin: describeDeadline(lead.leadPlanWithin),
      meetingWithin: describeDeadline(lead.meetingWithin),
      districtPlanWithin: describeDeadline(p.districtPlanWithin),
      minTownships: p.minTownships,
      ...(own.length ? { ownTerms: own } : {}),
    };
  }

  /** Every step: change state before the first await (a concurrent validator sees it), then record. */
  async function done(step: string, actor: Actor, data: Record<string, unknown>): Promise<RolloutView> {
    await record({ step, actor, data });
    return view();
  }

  // ---- steps (updates) -------------------------------------------------------

  setHandler(rolloutQuery, view);

  setHandler(
    submitLeadPlanUpdate,
    (a) => {
      const d = duty('lead-plan')!;
      d.submittedAt = new Date().toISOString();
      d.data = { docNumber: a.docNumber, title: a.title };
      return done('submitLeadPlan', a.actor, { docNumber: a.docNumber, title: a.title, note: a.note });
    },
    {
      validator: (_a) => {
        const d = openDuty('lead-plan', '实施方案');
        if (d.submittedAt) throw new Error('实施方案已报送，正待市分管领导审定');
      },
    },
  );
  setHandler(
    approveLeadPlanUpdate,
    (a) => {
      const d = duty('lead-plan')!;
      const now = new Date().toISOString();
      if (a.approved) {
        d.doneAt = now;
        // 第十四条: the deployment meeting within two weeks (policy) of the approved plan; the districts hold theirs
        // within the same term, each under its own policy (第二十一条).
        s.duties.push(timed('meeting', 'MEETING', input.leadUnitId, '市分管领导审定实施方案', now, 'meetingWithin'));
        for (const dId of input.districtIds) s.duties.push(timed(`district-meeting:${dId}`, 'DISTRICT_MEETING', dId, '市分管领导审定实施方案', now, 'meetingWithin'));
      } else {
        d.submittedAt = undefined;
      }
      return done('approveLeadPlan', a.actor, { approved: a.approved, note: a.note });
    },
    {
      validator: (_a) => {
        const d = openDuty('lead-plan', '实施方案');
        if (!d.submittedAt) throw new Error('牵头部门尚未报送实施方案');
      },
    },
  );
  const meetingDuty = (districtId?: string) => (districtId ? `district-meeting:${districtId}` : 'meeting');
  setHandler(
    recordMeetingUpdate,
    (a) => {
      const d = duty(meetingDuty(a.districtId))!;
      // On time or late by the date it was held, not by when it is entered.
      d.doneAt = new Date(a.heldAt).toISOString();
      d.data = { heldAt: a.heldAt, place: a.place, recordedAt: new Date().toISOString() };
      if (!a.districtId) s.meetingAt = a.heldAt;
      return done('recordMeeting', a.actor, { districtId: a.districtId, heldAt: a.heldAt, place: a.place, note: a.note });
    },
    {
      validator: (a) => {
        const d = openDuty(meetingDuty(a.districtId), a.districtId ? '区县部署会（须先审定实施方案）' : '部署会（须先审定实施方案）');
        const why = meetingDateRefusal(a.heldAt, d, new Date());
        if (why) throw new Error(why);
      },
    },
  );
  setHandler(
    submitDistrictPlanUpdate,
    (a) => {
      const d = duty(`district-plan:${a.districtId}`)!;
      d.submittedAt = new Date().toISOString();
      d.data = { opinionTitle: a.opinionTitle, planTitle: a.planTitle };
      return done('submitDistrictPlan', a.actor, { districtId: a.districtId, opinionTitle: a.opinionTitle, planTitle: a.planTitle, note: a.note });
    },
    {
      validator: (a) => {
        const d = openDuty(`district-plan:${a.districtId}`, '区县实施意见和实施方案');
        if (d.submittedAt) throw new Error('实施意见和实施方案已报送，正待区县改革办主任审定');
      },
    },
  );
  setHandler(
    approveDistrictPlanUpdate,
    (a) => {
      const d = duty(`district-plan:${a.districtId}`)!;
      if (a.approved) d.doneAt = new Date().toISOString();
      else d.submittedAt = undefined;
      return done('approveDistrictPlan', a.actor, { districtId: a.districtId, approved: a.approved, note: a.note });
    },
    {
      validator: (a) => {
        const d = openDuty(`district-plan:${a.districtId}`, '区县实施意见和实施方案');
        if (!d.submittedAt) throw new Error('该区县尚未报送实施意见和实施方案');
      },
    },
  );
  setHandler(
    reportTownshipsUpdate,
    (a) => {
      const d = duty(`township:${a.districtId}`)!;
      d.doneAt = new Date().toISOString();
      d.data = { townshipIds: a.townshipIds };
      return done('reportTownships', a.actor, { districtId: a.districtId, townshipIds: a.townshipIds, note: a.note });
    },
    {
      validator: (a) => {
        if (!input.townshipApplies) throw new Error('该经验不需要在镇办推广');
        openDuty(`township:${a.districtId}`, '报送推广镇办');
        // 第十四条: each district rolls the experience out in at least 2 (policy) townships.
        const why = townshipRefusal(a.townshipIds, pOf(a.districtId).minTownships);
        if (why) throw new Error(why);
      },
    },
  );
  setHandler(
    recordProblemsUpdate,
    async (a) => {
      const now = new Date().toISOString();
      const added = a.problems.map((pr) => {
        s.problemSeq += 1;
        const d = timed(`rectification:${s.problemSeq}`, 'RECTIFICATION', pr.unitId, '督查发现问题', now, 'rectificationWithin');
        d.data = { problem: pr.description };
        s.duties.push(d);
        return d;
      });
      const recorded = record({ step: 'recordProblems', actor: a.actor, data: { problems: a.problems, note: a.note } });
      for (const d of added) await notify('PROBLEM', `${d.name}:notice`, d);
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        if (s.state === 'ACCEPTED') throw new Error('该经验已完成验收');
        if (a.problems.length === 0) throw new Error('至少列出一个问题');
      },
    },
  );
  setHandler(
    submitRectificationUpdate,
    (a) => {
      const d = duty(a.dutyName)!;
      d.doneAt = new Date().toISOString();
      d.data = { ...d.data, plan: a.plan };
      return done('submitRectification', a.actor, { dutyName: a.dutyName, plan: a.plan, note: a.note });
    },
    {
      validator: (a) => {
        const d = openDuty(a.dutyName, '整改方案');
        if (d.kind !== 'RECTIFICATION') throw new Error(`“${d.title}”不是整改任务`);
        // The duty's unit, or the reform office filing for it (its administrators: checked by the API).
        if (a.actor.unitId !== d.unitId && a.actor.unitId !== REFORM_OFFICE_ID) throw new Error('只能报送本单位的整改方案');
      },
    },
  );
  setHandler(
    submitAcceptanceReportUpdate,
    (a) => {
      const d = duty(`acceptance-report:${a.unitId}`)!;
      d.doneAt = new Date().toISOString();
      d.data = { report: a.report };
      return done('submitAcceptanceReport', a.actor, { unitId: a.unitId, note: a.note });
    },
    { validator: (a) => void openDuty(`acceptance-report:${a.unitId}`, '验收报告') },
  );
  setHandler(
    submitSummaryUpdate,
    async (a) => {
      const now = new Date().toISOString();
      const d = duty('summary')!;
      d.doneAt = now;
      d.data = { docNumber: a.docNumber, title: a.title };
      // 第十四条 acceptance: the office's verdict on each unit; a unit that never reported is shown so.
      for (const r of s.duties.filter((x) => x.kind === 'ACCEPTANCE_REPORT')) {
        const v = a.verdicts.find((x) => `acceptance-report:${x.unitId}` === r.name);
        const verdict: AcceptanceVerdict = !r.doneAt ? 'NOT_REPORTED' : v!.passed ? 'PASSED' : 'FAILED';
        r.data = { ...r.data, verdict: { verdict, comment: v?.comment } };
      }
      s.state = 'ACCEPTED';
      s.acceptedAt = now;
      const verdicts = a.verdicts.map((v) => ({ unitId: v.unitId, passed: v.passed }));
      await record({ step: 'submitSummary', actor: a.actor, data: { docNumber: a.docNumber, title: a.title, verdicts, note: a.note } });
      // Sent to the director and circulated city-wide.
      await notify('SUMMARY', 'summary:notice', d, { summary: a });
      return view();
    },
    {
      validator: (a: SummaryArgs) => {
        openDuty('summary', '验收总结');
        const reported = s.duties.filter((x) => x.kind === 'ACCEPTANCE_REPORT' && x.doneAt).map((x) => x.unitId);
        const named = a.verdicts.map((v) => v.unitId);
        if (new Set(named).size !== named.length) throw new Error('同一单位只能有一个验收结论');
        const stray = named.filter((u) => !reported.includes(u));
        if (stray.length) throw new Error(`以下单位未报送验收报告，不能给出验收结论：${stray.join('、')}`);
        const missingVerdict = reported.filter((u) => !named.includes(u));
        if (missingVerdict.length) throw new Error(`请对每个已报送验收报告的单位给出验收结论，尚缺：${missingVerdict.join('、')}`);
        // The summary covers every report: it waits for them, or for their deadline to pass.
        const missing = s.duties.filter((d) => d.kind === 'ACCEPTANCE_REPORT' && !d.doneAt);
        if (missing.length && Date.now() <= new Date(acceptance.reportDueAt).getTime()) {
          throw new Error(`尚有${missing.length}个单位未报送验收报告，报送截止时间为${formatShanghai(acceptance.reportDueAt)}`);
        }
      },
    },
  );

  // ---- start -----------------------------------------------------------------

  if (!input.carried) {
    upsertSearchAttributes({ DubanFamily: ['rollout'], DubanUnits: [input.leadUnitId, ...input.districtIds] });
    await record({ step: 'start', data: { opinion: input.opinion } });
    await notify('START', 'start');
  }

  // ---- timed duties ------------------------------------------------------------

  await runDuties<RolloutTimed>({
    due: () => rolloutTimed(s, p, pOf),
    fired,
    revision: () => revisions.revision,
    finished: () => s.state === 'ACCEPTED',
    continueAsNew: () => continueAsNew<typeof rolloutWorkflow>({ ...input, carried: carried() }),
    async fire(t) {
      const d = t.dutyName ? duty(t.dutyName) : undefined;
      if (t.chase && d) {
        d.chases = t.chase;
        // Chase counts show on the board.
        const recorded = record();
        await notify('CHASE', t.key, d, { chase: t.chase, escalate: t.escalate });
        return recorded;
      }
      if (t.bulletin) s.bulletins = t.bulletin;
      await notify(t.kind, t.key, d);
    },
  });
  return view();
}
