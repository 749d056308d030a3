// One workflow per reform pilot (第十一条 (五)–(七)) or mature grassroots
// experience (第十三条). A pilot won from above starts with its ledger (lead,
// participants, leader, goals, time limit, use of results), is dispatched monthly
// until its lead unit asks for acceptance, is accepted by the reform office and
// reported upward. An experience waits for the reform office to report it
// upward — directly to the central and provincial offices when it applies
// city-wide. Durations come from input.policy.pilot.
import { condition, continueAsNew, currentUpdateInfo, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { PilotNoticeArgs } from '../../activities/pilot';
import { REFORM_OFFICE_ID } from '../../common/org';
import { deadlineAfter, describeDeadline } from '../../common/policy/calendar';
import { handleCalendarChanges, pending, type MovedDeadline } from '../calendar';
import { runDuties } from '../duties';
import { Revisions } from '../records';
import { activities } from '../shared';
import { answered, pilotDuties, progressDueAt, type PilotDuty, type PilotNotice } from './duties';
import {
  acceptanceUpdate,
  pilotQuery,
  pilotReadyUpdate,
  reportProgressUpdate,
  reportUpwardUpdate,
  requestAcceptanceUpdate,
  revisePlanUpdate,
  type Actor,
  type PilotCarried,
  type PilotView,
  type PilotWorkflowInput,
} from './messages';
import { pilotObligations } from './obligations';
import { nextState, refusal, TERMINAL, upwardRefusal, type PilotStep } from './state';

const { recordChange, sendPilotNotice } = activities;

export async function pilotWorkflow(input: PilotWorkflowInput): Promise<PilotView> {
  const p = input.policy.pilot;
  const workflowId = workflowInfo().workflowId;
  const rule = input.origin === 'WON' ? '第十一条' : '第十三条';
  const startedAt = new Date().toISOString();
  const s: PilotCarried = input.carried ?? {
    state: input.origin === 'WON' ? 'RUNNING' : 'PROPOSED',
    startedAt,
    plan: input.plan,
    dispatches: [],
    progress: [],
    rejections: 0,
    // 第十三条: an experience is reported upward within the policy's time of its registration.
    upwardDueAt: input.origin === 'EXPERIENCE' ? deadlineAfter(startedAt, p.upwardReportDueAfter, input.policy.calendar).at : undefined,
    fired: [],
    revision: 0,
  };
  const fired = new Set(s.fired);
  const revisions = new Revisions(s.revision);
  const carried = (): PilotCarried => ({ ...s, fired: [...fired], revision: revisions.revision });

  const view = (): PilotView => {
    const { fired: _f, ...rest } = carried();
    return { ...rest, pilotId: input.pilotId, origin: input.origin, title: input.title, leadUnitId: input.leadUnitId, policyVersion: input.policy.version };
  };

  /**
   * Records the current state as the next revision, with the step that led to
   * it. Call where the state changed, before any await: the change is
   * numbered and copied at the call.
   */
  function record(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }): Promise<void> {
    const update = currentUpdateInfo();
    const obligations = pilotObligations(s, workflowId, input.leadUnitId);
    // DubanDueAt is the earliest open obligation, cleared when none is left.
    const due = obligations.filter((o) => o.status === 'OPEN').map((o) => o.dueAt).sort()[0];
    upsertSearchAttributes({ DubanState: [s.state], DubanDueAt: due ? [new Date(due)] : [] });
    return recordChange({
      family: 'pilot',
      workflowId,
      subjectId: input.pilotId,
      revision: revisions.next(),
      at: new Date().toISOString(),
      pilot: {
        state: s.state,
        plan: s.plan && { ...s.plan },
        dispatches: s.dispatches.length,
        acceptedAt: s.acceptedAt,
        reportedAt: s.reportedAt,
        reportedTo: s.reportedTo && [...s.reportedTo],
      },
      // The update id (the HTTP Idempotency-Key when given) keys the step's event.
      event: event && { key: `${workflowId}:${update?.id ?? event.step}`, step: event.step, actorId: event.actor?.officialId, data: event.data },
      obligations: revisions.obligations(obligations),
    });
  }

  async function notify(n: PilotNotice, extra: Partial<PilotNoticeArgs> = {}): Promise<void> {
    await sendPilotNotice({
      workflowId,
      pilotId: input.pilotId,
      kind: n.kind,
      step: n.step,
      explanation: { rule, ...n.explanation },
      dueAt: n.explanation.dueAt,
      plan: s.plan && { ...s.plan },
      dispatch: n.dispatch,
      ...extra,
    });
  }

  /** Throws to refuse: the update is rejected before it enters history. */
  function validate(step: PilotStep): void {
    const why = refusal(s.state, step);
    if (why) throw new Error(why);
  }

  /** The step's own event and state change, recorded; returns the view once written. */
  async function step(step: PilotStep, actor: Actor, data: Record<string, unknown>, approved = true): Promise<PilotView> {
    const from = s.state;
    s.state = nextState(s.state, step, approved);
    await record({ step, actor, data: { ...data, from, to: s.state } });
    return view();
  }

  setHandler(pilotQuery, view);
  /** Set once the registration is recorded (a continued run registered long ago). */
  let registered = !!input.carried;
  setHandler(pilotReadyUpdate, async () => {
    await condition(() => registered);
    return view();
  });
  // A new calendar moves the deadlines not yet reached of what is still owed: the latest dispatch's
  // report, the office's acceptance, the upward report.
  handleCalendarChanges(
    input.policy,
    () => {
      const moved: MovedDeadline[] = [];
      const now = Date.now();
      const cal = input.policy.calendar;
      const k = s.dispatches.length;
      if (k > 0 && !answered(s, k)) s.dispatches[k - 1].dueAt = pending(s.dispatches[k - 1].dueAt, now, () => progressDueAt(s, p, k, cal).toISOString(), `progress:${k}`, moved)!;
      if (s.state === 'ACCEPTANCE_REQUESTED') s.acceptanceDueAt = pending(s.acceptanceDueAt, now, () => deadlineAfter(s.acceptanceRequestedAt!, p.acceptanceDueAfter, cal).at, 'acceptance', moved);
      if (s.upwardDueAt && !s.reportedAt) s.upwardDueAt = pending(s.upwardDueAt, now, () => deadlineAfter(s.acceptedAt ?? s.startedAt, p.upwardReportDueAfter, cal).at, 'upward', moved);
      return moved;
    },
    (event) => record(event),
  );

  // 第十一条（六）: progress answers the latest dispatch (or is extra, between dispatches).
  setHandler(
    reportProgressUpdate,
    (a) => {
      const k = s.dispatches.length;
      const dispatch = k > 0 && !answered(s, k) ? k : undefined;
      s.progress.push({ dispatch, at: new Date().toISOString(), note: a.note, goodPractice: a.goodPractice });
      return step('reportProgress', a.actor, { dispatch, note: a.note, goodPractice: a.goodPractice });
    },
    { validator: (_a) => validate('reportProgress') },
  );

  // 第十一条（六）: the office revises the plan; a new time limit moves the reminder and the overdue notice.
  setHandler(
    revisePlanUpdate,
    (a) => {
      const before = { ...s.plan! };
      s.plan = { ...s.plan!, ...(a.goals ? { goals: a.goals } : {}), ...(a.dueAt ? { dueAt: a.dueAt } : {}) };
      return step('revisePlan', a.actor, { note: a.note, before: { goals: before.goals, dueAt: before.dueAt }, after: { goals: s.plan.goals, dueAt: s.plan.dueAt } });
    },
    {
      validator: (a) => {
        validate('revisePlan');
        if (!a.goals && !a.dueAt) throw new Error('请说明调整的目标任务或完成时限');
        if (a.dueAt && new Date(a.dueAt) <= new Date()) throw new Error('新的完成时限须晚于当前时间');
      },
    },
  );

  // 第十一条（七）: completion, then the office's acceptance within the policy's time.
  setHandler(
    requestAcceptanceUpdate,
    (a) => {
      const now = new Date();
      s.acceptanceRequestedAt = now.toISOString();
      s.acceptanceDueAt = deadlineAfter(now, p.acceptanceDueAfter, input.policy.calendar).at;
      return step('requestAcceptance', a.actor, { note: a.note });
    },
    { validator: (_a) => validate('requestAcceptance') },
  );

  setHandler(
    acceptanceUpdate,
    async (a) => {
      const now = new Date();
      if (a.approved) {
        s.acceptedAt = now.toISOString();
        s.upwardDueAt = deadlineAfter(now, p.upwardReportDueAfter, input.policy.calendar).at;
      } else {
        s.rejections += 1;
      }
      const result = step('acceptance', a.actor, { approved: a.approved, note: a.note }, a.approved);
      const n = s.rejections;
      await notify(
        {
          kind: 'ACCEPTANCE_RESULT',
          step: a.approved ? 'acceptance' : `acceptance-rejected-${n}`,
          explanation: { startEvent: '申请验收', startedAt: s.acceptanceRequestedAt!, offset: describeDeadline(p.acceptanceDueAfter), dueAt: a.approved ? s.upwardDueAt : undefined },
        },
        { approved: a.approved, note: a.note, createdBy: a.actor.officialId },
      );
      return result;
    },
    { validator: (_a) => validate('acceptance') },
  );

  // 第十一条（七）, 第十三条: the upward report closes the workflow.
  setHandler(
    reportUpwardUpdate,
    async (a) => {
      s.reportedAt = new Date().toISOString();
      s.reportedTo = [...a.to];
      const result = step('reportUpward', a.actor, { to: a.to, summary: a.summary, note: a.note });
      await notify(
        { kind: 'UPWARD_REPORT', step: 'upward-report', explanation: { startEvent: s.plan ? '试点通过验收' : '基层经验登记', startedAt: s.acceptedAt ?? s.startedAt, offset: describeDeadline(p.upwardReportDueAfter), dueAt: s.upwardDueAt } },
        { reportedTo: a.to, summary: a.summary, note: a.note, createdBy: a.actor.officialId },
      );
      return result;
    },
    {
      validator: (a) => {
        validate('reportUpward');
        const why = upwardRefusal(a.to, !s.plan && !!input.cityWide);
        if (why) throw new Error(why);
      },
    },
  );

  // ---- registration ------------------------------------------------------------

  if (!input.carried) {
    upsertSearchAttributes({ DubanFamily: ['pilot'], DubanUnits: [...new Set([input.leadUnitId, ...input.participantUnitIds, REFORM_OFFICE_ID])] });
    await record({ step: 'registered', data: { origin: input.origin } });
    registered = true;
    if (s.plan) {
      // 第十一条（五）: the ledger goes to the lead unit, its leader and the participants at once.
      await notify({ kind: 'LEDGER', step: 'ledger', explanation: { startEvent: '试点登记立项', startedAt: s.startedAt, offset: '即时', dueAt: s.plan.dueAt } });
    } else {
      await notify({ kind: 'EXPERIENCE', step: 'experience', explanation: { startEvent: '基层经验登记', startedAt: s.startedAt, offset: describeDeadline(p.upwardReportDueAfter), dueAt: s.upwardDueAt } });
    }
  }

  // ---- timed duties ------------------------------------------------------------

  await runDuties<PilotDuty>({
    due: () => pilotDuties(s, p, input.policy.calendar),
    fired,
    revision: () => revisions.revision,
    finished: () => TERMINAL.has(s.state),
    continueAsNew: () => continueAsNew<typeof pilotWorkflow>({ ...input, carried: carried() }),
    async fire(d) {
      if (d.dispatch) {
        s.dispatches.push(d.dispatch);
        await record({ step: 'dispatch', data: { dispatch: s.dispatches.length, dueAt: d.dispatch.dueAt } });
      }
      await notify(d.notice);
    },
  });
  return view();
}
