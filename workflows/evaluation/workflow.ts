// One workflow per year's evaluation, started each March by a Schedule: the
// third-party evaluation of last year's major reform items (第九条) merged with
// the evaluation of last year's innovation experiences (第十四条（三）, "合二为一").
// The reform office fixes the items, the evaluator and the plan, whose schedule
// becomes the deadlines; districts self-score and choose two experiences for the
// visit, two more are drawn from a recorded seed; lead departments score and
// send their material; the report is reviewed by the office, submitted to the
// city leaders, published as they decide (media, the monthly briefing); low
// scores and serious findings are followed up (回头抓, 问责). Durations come
// from the policy in the input.
import { ApplicationFailure, condition, continueAsNew, currentUpdateInfo, setHandler, upsertSearchAttributes, uuid4, workflowInfo } from '@temporalio/workflow';
import { evaluationWorkflowId } from '../../common/ids';
import { REFORM_OFFICE_ID } from '../../common/org';
import { deadlineAfter, describeDeadline } from '../../common/policy/calendar';
import { handleCalendarChanges, pending, type MovedDeadline } from '../calendar';
import { runDuties } from '../duties';
import { Revisions } from '../records';
import { activities } from '../shared';
import { evaluationDuties, type EvaluationDuty, type EvaluationNotice } from './duties';
import * as m from './messages';
import { evaluationObligations } from './obligations';
import {
  departmentScoreRefusal,
  drawVisit,
  evaluatedDistricts,
  evaluatedUnits,
  followUpsOf,
  PHASE_LABELS,
  planRefusal,
  scoringDepartments,
  selfScoreRefusal,
  type EvaluationPhase,
} from './state';
import { scheduledAt, startPeriodOnce } from '../schedule';

const { recordChange, sendEvaluationNotice, loadEvaluationExperiences, resolveEvaluationPolicy } = activities;

export async function evaluationWorkflow(input: m.EvaluationWorkflowInput): Promise<m.EvaluationView> {
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 9999) throw ApplicationFailure.nonRetryable(`invalid year ${input.year}`, 'InvalidEvaluationYear');
  const p = input.policy.evaluation;
  const workflowId = workflowInfo().workflowId;
  const evaluationId = String(input.year);
  const startedAt = new Date().toISOString();
  const s: m.EvaluationState = input.carried ?? {
    phase: 'PLANNING',
    // Recorded with the evaluation so the site-visit draw can be reproduced; uuid4() is deterministic in workflow code.
    seed: input.seed ?? uuid4(),
    startedAt,
    planDueAt: deadlineAfter(startedAt, p.planWithin, input.policy.calendar).at,
    experiences: [],
    selfScores: [],
    departmentScores: [],
    visits: [],
    followUps: [],
    fired: [],
    revision: 0,
  };
  const fired = new Set(s.fired);
  const revisions = new Revisions(s.revision);
  /** Set once the start is recorded (a continued run started long ago): validators accept steps from then on. */
  let startRecorded = !!input.carried;
  const carried = (): m.EvaluationState => ({ ...s, fired: [...fired], revision: revisions.revision });
  const view = (): m.EvaluationView => {
    const { fired: _f, ...rest } = carried();
    return { ...rest, year: input.year, policyVersion: input.policy.version, districts: evaluatedDistricts(s.experiences), departments: scoringDepartments(s.experiences) };
  };

  /**
   * Records the current state as the next revision, with the step that led to
   * it. Call where the state changed, before any await: the change is
   * numbered and copied at the call.
   */
  function record(event?: { step: string; actor?: m.Actor; data?: Record<string, unknown> }): Promise<void> {
    const update = currentUpdateInfo();
    const obligations = evaluationObligations(s, workflowId);
    const due = obligations.filter((o) => o.status === 'OPEN').map((o) => o.dueAt).sort()[0];
    upsertSearchAttributes({ DubanState: [s.phase], DubanDueAt: due ? [new Date(due)] : [] });
    const { fired: _f, revision: _r, ...fields } = carried();
    return recordChange({
      family: 'evaluation',
      workflowId,
      subjectId: evaluationId,
      revision: revisions.next(),
      at: new Date().toISOString(),
      evaluation: { year: input.year, policyVersion: input.policy.version, ...(JSON.parse(JSON.stringify(fields)) as typeof fields) },
      // The update id (the HTTP Idempotency-Key when given) keys the step's event.
      event: event && { key: `${workflowId}:${update?.id ?? event.step}`, step: event.step, actorId: event.actor?.officialId, data: event.data },
      obligations: revisions.obligations(obligations),
    });
  }

  async function notify(n: EvaluationNotice & { rule: string; context?: Parameters<typeof sendEvaluationNotice>[0]['context']; createdBy?: string }): Promise<void> {
    await sendEvaluationNotice({
      workflowId,
      evaluationId,
      year: input.year,
      kind: n.kind,
      step: n.step,
      explanation: { rule: n.rule, ...n.explanation },
      dueAt: n.explanation.dueAt,
      unitIds: n.unitIds,
      context: { ...n.context, reason: n.followUpId ? s.followUps.find((f) => f.id === n.followUpId)?.reason : n.context?.reason },
      experiences: s.experiences,
      createdBy: n.createdBy,
    });
  }

  // ---- steps (updates) -----------------------------------------------------------

  function requirePhase(allowed: EvaluationPhase[], what: string): void {
    if (!startRecorded) throw new Error('年度评估正在启动，请稍后再试');
    if (!allowed.includes(s.phase)) throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，不能${what}`);
  }

  setHandler(m.evaluationQuery, view);
  // A new calendar moves the deadlines not yet reached of what is still owed: the plan, the open follow-ups.
  handleCalendarChanges(
    input.policy,
    () => {
      const moved: MovedDeadline[] = [];
      const now = Date.now();
      if (s.phase === 'PLANNING') s.planDueAt = pending(s.planDueAt, now, () => deadlineAfter(s.startedAt, p.planWithin, input.policy.calendar).at, 'plan', moved)!;
      const decidedAt = s.decision?.at;
      if (decidedAt) for (const f of s.followUps.filter((x) => !x.doneAt)) f.dueAt = pending(f.dueAt, now, () => deadlineAfter(decidedAt, p.followUpWithin, input.policy.calendar).at, `follow-up:${f.id}`, moved)!;
      return moved;
    },
    (event) => record(event),
  );
  setHandler(m.evaluationReadyUpdate, async () => {
    await condition(() => startRecorded);
    return view();
  });

  setHandler(
    m.submitPlanUpdate,
    async (a) => {
      const now = new Date().toISOString();
      s.plan = a.plan;
      s.plannedAt = now;
      s.phase = 'SCORING';
      const recorded = record({ step: 'submitPlan', actor: a.actor, data: { items: a.plan.items.map((i) => i.title), evaluator: a.plan.evaluator.name, scoresDueAt: a.plan.scoresDueAt, reportDueAt: a.plan.reportDueAt, note: a.note } });
      // 第九条（四）: every evaluated unit is told what is evaluated, by whom, and what it owes by when.
      await notify({
        kind: 'EVALUATION_NOTICE',
        step: 'evaluation-notice',
        rule: '第九条（四）',
        unitIds: evaluatedUnits(s.experiences, s.plan),
        explanation: { startEvent: '评估方案确定', startedAt: now, offset: '按评估方案', dueAt: a.plan.scoresDueAt },
        context: { evaluator: a.plan.evaluator.name, items: a.plan.items.map((i) => i.title), experiences: s.experiences.map((e) => e.title) },
        createdBy: a.actor.officialId,
      });
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        requirePhase(['PLANNING'], '确定评估方案');
        const why = planRefusal(a.plan, p, Date.now());
        if (why) throw new Error(why);
      },
    },
  );

  /** Scoring is open until the report is in (late scores are still taken, and shown late). */
  const SCORE_PHASES: EvaluationPhase[] = ['SCORING', 'REPORTING'];

  /** Moves on to the report once every score is in (or at the plan's deadline, a duty). */
  function closeScoringIfComplete(): void {
    if (s.phase === 'SCORING' && s.selfScores.length === evaluatedDistricts(s.experiences).length && s.departmentScores.length === scoringDepartments(s.experiences).length) s.phase = 'REPORTING';
  }

  setHandler(
    m.submitSelfScoreUpdate,
    async (a) => {
      const now = new Date().toISOString();
      s.selfScores.push({ unitId: a.unitId, scores: a.scores, chosen: a.chosen, note: a.note, submittedAt: now, submittedBy: a.actor.officialId });
      // 第十四条（三）（3）: two chosen by the district, two drawn from the recorded seed.
      const visit = drawVisit(s.experiences, a.unitId, a.chosen, p, s.seed);
      s.visits.push(visit);
      closeScoringIfComplete();
      const recorded = record({ step: 'submitSelfScore', actor: a.actor, data: { unitId: a.unitId, scores: a.scores, chosen: visit.chosen, drawn: visit.drawn } });
      await notify({
        kind: 'VISITS',
        step: `visits:${a.unitId}`,
        rule: '第十四条（三）',
        unitIds: [a.unitId],
        explanation: { startEvent: '区县报送自评并自选实地评估经验', startedAt: now, offset: '即时' },
        context: { visits: visit },
      });
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        requirePhase(SCORE_PHASES, '报送自评');
        if (s.selfScores.some((x) => x.unitId === a.unitId)) throw new Error(`${a.unitId} 已报送自评`);
        const why = selfScoreRefusal(s.experiences, a.unitId, a.scores, a.chosen, p);
        if (why) throw new Error(why);
      },
    },
  );

  setHandler(
    m.submitDepartmentScoreUpdate,
    async (a) => {
      s.departmentScores.push({ unitId: a.unitId, scores: a.scores, material: a.material, submittedAt: new Date().toISOString(), submittedBy: a.actor.officialId });
      closeScoringIfComplete();
      await record({ step: 'submitDepartmentScore', actor: a.actor, data: { unitId: a.unitId, scores: a.scores } });
      return view();
    },
    {
      validator: (a) => {
        requirePhase(SCORE_PHASES, '报送部门评分');
        if (s.departmentScores.some((x) => x.unitId === a.unitId)) throw new Error(`${a.unitId} 已报送评分`);
        const why = departmentScoreRefusal(s.experiences, a.unitId, a.scores, p);
        if (why) throw new Error(why);
      },
    },
  );

  setHandler(
    m.submitEvaluationReportUpdate,
    async (a) => {
      const now = new Date().toISOString();
      s.report = { title: a.title, summary: a.summary, results: a.results, findings: a.findings, submittedAt: now, submittedBy: a.actor.officialId };
      s.review = undefined;
      s.phase = 'REVIEW';
      const recorded = record({ step: 'submitEvaluationReport', actor: a.actor, data: { title: a.title, results: a.results.length, findings: a.findings.length, note: a.note } });
      await notify({
        kind: 'REVIEW_REQUEST',
        step: `review-request:${currentUpdateInfo()?.id ?? now}`,
        rule: '第九条（四）',
        explanation: { startEvent: '评估报告提交', startedAt: now, offset: '即时' },
        context: { reportTitle: a.title, reportSummary: a.summary },
        createdBy: a.actor.officialId,
      });
      await recorded;
      return view();
    },
    {
      validator: (a: m.ReportArgs) => {
        requirePhase(['REPORTING'], '提交评估报告（评分截止或全部报送后方可提交）');
        const units = new Set(evaluatedUnits(s.experiences, s.plan));
        const foreign = [...a.results.map((r) => r.unitId), ...a.findings.map((f) => f.unitId)].filter((u) => !units.has(u));
        if (foreign.length) throw new Error(`以下单位不是本次评估对象：${[...new Set(foreign)].join('、')}`);
        if (new Set(a.results.map((r) => r.unitId)).size !== a.results.length) throw new Error('每个单位只能有一个评估得分');
        const bad = a.results.filter((r) => !(r.score >= 0 && r.score <= p.scoreMax));
        if (bad.length) throw new Error(`分数须在0到${p.scoreMax}之间：${bad.map((r) => r.unitId).join('、')}`);
      },
    },
  );

  setHandler(
    m.reviewEvaluationReportUpdate,
    async (a) => {
      const now = new Date().toISOString();
      s.review = { approved: a.approved, note: a.note, by: a.actor.officialId, at: now };
      // Returned: the evaluator revises and the office submits again.
      s.phase = a.approved ? 'DECISION' : 'REPORTING';
      const recorded = record({ step: 'reviewEvaluationReport', actor: a.actor, data: { approved: a.approved, note: a.note } });
      if (a.approved) {
        await notify({
          kind: 'REPORT_TO_LEADERS',
          step: 'report-to-leaders',
          rule: '第九条（四）',
          explanation: { startEvent: '市委改革办审核通过评估报告', startedAt: now, offset: '即时' },
          context: { reportTitle: s.report?.title, reportSummary: s.report?.summary },
          createdBy: a.actor.officialId,
        });
      }
      await recorded;
      return view();
    },
    { validator: (_a) => requirePhase(['REVIEW'], '审核评估报告') },
  );

  setHandler(
    m.recordDecisionUpdate,
    async (a) => {
      const now = new Date().toISOString();
      s.decision = { publish: a.publish, channels: a.channels, note: a.note, by: a.actor.officialId, at: now };
      s.followUps = followUpsOf(s.report!, p, deadlineAfter(now, p.followUpWithin, input.policy.calendar).at);
      s.phase = s.followUps.length ? 'FOLLOW_UP' : 'CLOSED';
      const recorded = record({ step: 'recordDecision', actor: a.actor, data: { publish: a.publish, channels: a.channels, followUps: s.followUps.length, note: a.note } });
      const decided = { startEvent: '评估结果审定', startedAt: now };
      const results = s.report!.results.map((r) => ({ unitId: r.unitId, score: r.score }));
      const reportContext = { reportTitle: s.report!.title, reportSummary: s.report!.summary };
      await Promise.all([
        // 第十四条（三）: results go to the evaluated units; the next monthly briefing announces them (the cycle reads
        // this decision from the record: activities/cycle.ts → evaluationsToAnnounce)…
        notify({ kind: 'RESULTS', step: 'results', rule: '第九条（四）', unitIds: evaluatedUnits(s.experiences, s.plan), explanation: { ...decided, offset: '即时' }, context: { results } }),
        // …and published in the media when the leaders so decide (第九条（四）: "视情况").
        ...(a.publish ? [notify({ kind: 'PUBLICATION', step: 'publication', rule: '第十四条（三）', explanation: { ...decided, offset: '即时' }, context: { ...reportContext, channels: a.channels } })] : []),
        ...s.followUps.map((f) =>
          notify({
            kind: 'FOLLOW_UP',
            step: `follow-up:${f.id}`,
            rule: f.kind === 'RECTIFICATION' ? '第十四条（三）' : '第九条（五）',
            // Accountability is the reform office's to pursue; a rectification is the unit's.
            unitIds: f.kind === 'RECTIFICATION' ? [f.unitId] : undefined,
            followUpId: f.id,
            explanation: { ...decided, offset: describeDeadline(p.followUpWithin, deadlineAfter(now, p.followUpWithin, input.policy.calendar)), dueAt: f.dueAt },
          }),
        ),
      ]);
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        requirePhase(['DECISION'], '记录市领导审定意见');
        if (a.publish && a.channels.length === 0) throw new Error('公开评估结果须写明公开渠道');
      },
    },
  );

  setHandler(
    m.closeFollowUpUpdate,
    async (a) => {
      const f = s.followUps.find((x) => x.id === a.followUpId)!;
      f.doneAt = new Date().toISOString();
      f.outcome = a.outcome;
      if (s.followUps.every((x) => x.doneAt)) s.phase = 'CLOSED';
      await record({ step: 'closeFollowUp', actor: a.actor, data: { followUpId: f.id, kind: f.kind, unitId: f.unitId, outcome: a.outcome } });
      return view();
    },
    {
      validator: (a) => {
        requirePhase(['FOLLOW_UP'], '报送整改或问责情况');
        const f = s.followUps.find((x) => x.id === a.followUpId);
        if (!f) throw new Error(`整改（问责）事项 ${a.followUpId} 不存在`);
        if (f.doneAt) throw new Error(`整改（问责）事项 ${a.followUpId} 已办结`);
        // A rectification comes from its unit (or the reform office); accountability from the reform office.
        const mayClose = a.actor.unitId === REFORM_OFFICE_ID || (f.kind === 'RECTIFICATION' && a.actor.unitId === f.unitId);
        if (!mayClose) throw new Error(f.kind === 'RECTIFICATION' ? '只能由被评估单位或市委改革办报送整改情况' : '问责情况由市委改革办记录');
      },
    },
  );

  // ---- the start (1 March by the schedule, or by hand) -------------------------------------

  if (!input.carried) {
    upsertSearchAttributes({ DubanFamily: ['evaluation'] });
    s.experiences = await loadEvaluationExperiences({ year: input.year - 1 });
    upsertSearchAttributes({ DubanUnits: [REFORM_OFFICE_ID, ...evaluatedUnits(s.experiences)] });
    await record({ step: 'start', actor: input.startedBy ? { officialId: input.startedBy, unitId: REFORM_OFFICE_ID } : undefined, data: { seed: s.seed, experiences: s.experiences.length, policyVersion: input.policy.version } });
    startRecorded = true;
    await notify({ kind: 'START', step: 'start', rule: '第九条（一）', explanation: { startEvent: '年度评估启动', startedAt: s.startedAt, offset: describeDeadline(p.planWithin, deadlineAfter(s.startedAt, p.planWithin, input.policy.calendar)), dueAt: s.planDueAt } });
  }

  // ---- timed duties --------------------------------------------------------------------------

  await runDuties<EvaluationDuty>({
    due: () => evaluationDuties(s, p),
    fired,
    revision: () => revisions.revision,
    finished: () => s.phase === 'CLOSED',
    continueAsNew: () => continueAsNew<typeof evaluationWorkflow>({ ...input, carried: carried() }),
    async fire(d) {
      if (d.closeScoring && s.phase === 'SCORING') {
        s.phase = 'REPORTING';
        await record({ step: 'scoringClosed', data: { missing: d.notices.flatMap((n) => n.unitIds ?? []) } });
      }
      const rule = (n: EvaluationNotice) => (n.kind.startsWith('PLAN') ? '第九条（三）' : n.kind.startsWith('SCORE') ? '第十四条（三）' : n.kind === 'FOLLOW_UP_CHASE' ? '第九条（五）' : '第九条（四）');
      await Promise.all(d.notices.map((n) => notify({ ...n, rule: rule(n) })));
    },
  });
  return view();
}

/**
 * What the March Temporal Schedule starts (worker/schedules.ts): the year's
 * evaluation under its business id ("evaluation:2027"), with the city policy.
 * A year already started by hand is left alone; a finished year is never
 * started again (the id is not reused).
 */
export async function evaluationScheduleWorkflow(): Promise<{ year: number; started: boolean }> {
  // The schedule's nominal time (1 March, Asia/Shanghai) decides the year, not a late start.
  const year = new Date(scheduledAt().getTime() + 8 * 3600_000).getUTCFullYear();
  const { policy } = await resolveEvaluationPolicy();
  return { year, started: await startPeriodOnce(evaluationWorkflow, evaluationWorkflowId(year), { version: 1, year, policy }) };
}
