// One long-running workflow per superior reform document: 提示单 → (the reform
// office names a missing lead unit) → 交办单 → 催办单 at three weeks → 责令书 at
// one month, through ledger, drafting, review, adoption and issuance to the
// districts (each acknowledges), then monthly ledger dispatch until every task
// is closed (第四条, 第五条). The clocks count from receipt and the superior
// document's issuance (./anchors.ts); durations come from the policy in the input.
import { continueAsNew, currentUpdateInfo, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DocumentNoticeArgs } from '../../activities/document';
import { REFORM_OFFICE_ID } from '../../common/org';
import { unitPolicy } from '../../common/policy/scope';
import { assignmentClock, deadlineClock, receipt } from './anchors';
import { deadlineAfter, describeDeadline } from '../../common/policy/calendar';
import { handleCalendarChanges, pending, type MovedDeadline } from '../calendar';
import { runDuties } from '../duties';
import { Revisions } from '../records';
import { activities } from '../shared';
import { documentDuties, type DocumentDuty, type DocumentNotice } from './duties';
import { documentObligations } from './obligations';
import {
  acknowledgeDistributionUpdate,
  acknowledgeUpdate,
  assignLeadUpdate,
  addLedgerTaskUpdate,
  adoptionUpdate,
  closeLedgerTaskUpdate,
  executiveMeetingUpdate,
  exemptionUpdate,
  issuanceUpdate,
  legalReviewUpdate,
  ledgerProgressUpdate,
  linkedSignal,
  manualChaseUpdate,
  openLedgerUpdate,
  reassignUpdate,
  stateQuery,
  submitDraftUpdate,
  type Actor,
  type CarriedState,
  type DocumentView,
  type DocumentWorkflowInput,
  type LedgerTaskInput,
  type LedgerTaskView,
  type StepArgs,
} from './messages';
import { nextState, refusal, STATE_LABELS, TERMINAL, type DocumentStep } from './state';

const { recordChange, recordArrival, sendDocumentNotice } = activities;

const RULE = '第五条';


export async function documentWorkflow(input: DocumentWorkflowInput): Promise<DocumentView> {
  const workflowId = workflowInfo().workflowId;
  const s: CarriedState = input.carried ?? {
    state: input.level === 'CENTRAL' ? 'PROMPTED' : 'ASSIGNED',
    leadUnitId: input.leadUnitId,
    linkedDocNumber: input.linkedDocNumber,
    fired: [],
    followUps: 0,
    tasks: [],
    taskSeq: 0,
    revision: 0,
  };
  // 第二十一条: the deadlines are the lead unit's to meet, so they run under its own policy (else the city's).
  const p = () => unitPolicy(input, s.leadUnitId).document;
  const fired = new Set(s.fired);
  const revisions = new Revisions(s.revision);
  const carried = (): CarriedState => ({ ...s, fired: [...fired], revision: revisions.revision });

  const view = (): DocumentView => {
    const { fired: _f, taskSeq: _t, ...rest } = carried();
    return {
      ...rest,
      docNumber: input.docNumber,
      level: input.level,
      policyVersion: unitPolicy(input, s.leadUnitId).version,
      chased: fired.has('chase'),
      ordered: fired.has('order'),
    };
  };

  /**
   * Records the current state as the next revision, with the step that led
   * to it and the ledger tasks it touched. Call where the state changed,
   * before any await: the change is numbered and copied at the call.
   */
  function record(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }, tasks: LedgerTaskView[] = []): Promise<void> {
    return recordChange(change(event, tasks));
  }

  /** The next revision's change, as `record` sends it (numbered, copied and its search attributes set at the call). */
  function change(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }, tasks: LedgerTaskView[] = []) {
    const update = currentUpdateInfo();
    const obligations = documentObligations(s, workflowId);
    // DubanDueAt is the earliest open obligation, cleared when none is left, so
    // an "overdue" search never finds a document that is on time or done.
    const due = obligations.filter((o) => o.status === 'OPEN').map((o) => o.dueAt).sort()[0];
    upsertSearchAttributes({ DubanState: [s.state], DubanDueAt: due ? [new Date(due)] : [] });
    return {
      family: 'document' as const,
      workflowId,
      subjectId: input.documentId,
      revision: revisions.next(),
      at: new Date().toISOString(),
      document: { state: s.state, dueAt: s.dueAt, leadUnitId: s.leadUnitId, linkedDocNumber: s.linkedDocNumber, exemptReason: s.exemptReason, districtIds: s.districts?.map((d) => d.unitId) },
      tasks: tasks.map((t) => ({ ...t })),
      // The update id (the HTTP Idempotency-Key when given) keys the step's event.
      event: event && { key: `${workflowId}:${update?.id ?? event.step}`, step: event.step, actorId: event.actor?.officialId, data: event.data },
      obligations: revisions.obligations(obligations),
    };
  }

  // 第五条: every deadline is a date on the calendar (the city's: a State Council fact, not a unit's
  // rule), counted from its anchor (./anchors.ts) by the lead unit's terms (第二十一条).
  const calendar = () => input.policy.calendar;
  const issuanceDeadline = () => deadlineAfter(s.dueFrom!.startedAt, p().assignmentDeadline, calendar());
  const leadDeadline = () => deadlineAfter(s.receivedAt!, p().leadAssignmentWithin, calendar());
  const ledgerDeadline = () => deadlineAfter(s.draftFrom!.startedAt, p().ledgerWithin, calendar()).at;
  // A superior document issued long before it arrived can leave less than three weeks: the draft is then due with the document.
  const draftDeadline = () => {
    const chase = deadlineAfter(s.draftFrom!.startedAt, p().chaseAfter, calendar()).at;
    return chase < s.dueAt! ? chase : s.dueAt!;
  };

  // A new calendar moves the deadlines not yet reached of what is still owed.
  handleCalendarChanges(
    input.policy,
    () => {
      const moved: MovedDeadline[] = [];
      if (!s.dueFrom || TERMINAL.has(s.state)) return moved;
      const now = Date.now();
      if (s.state === 'AWAITING_LEAD') s.leadDueAt = pending(s.leadDueAt, now, () => leadDeadline().at, 'lead', moved);
      if (!s.issuedAt) s.dueAt = pending(s.dueAt, now, () => issuanceDeadline().at, 'issuance', moved);
      if (s.draftFrom && !s.draftSubmittedAt) s.draftDueAt = pending(s.draftDueAt, now, draftDeadline, 'draft', moved);
      if (s.draftFrom && !s.ledgerOpenedAt) s.ledgerDueAt = pending(s.ledgerDueAt, now, ledgerDeadline, 'ledger', moved);
      return moved;
    },
    record,
  );

  async function notify(n: DocumentNotice, extra: Partial<DocumentNoticeArgs> = {}): Promise<void> {
    await sendDocumentNotice(noticeArgs(n, extra));
  }

  function noticeArgs(n: DocumentNotice, extra: Partial<DocumentNoticeArgs> = {}): DocumentNoticeArgs {
    return {
      districtId: n.districtId,
      workflowId,
      documentId: input.documentId,
      kind: n.kind,
      step: n.step,
      explanation: { rule: RULE, ...n.explanation },
      dueAt: n.explanation.dueAt,
      leadUnitId: s.leadUnitId,
      participantUnitIds: input.participantUnitIds,
      responsibleIds: s.responsibleIds,
      task: n.task,
      followUp: n.followUp,
      escalate: n.escalate,
      ...extra,
    };
  }

  /**
   * The arrival's record and its first notice, as one activity (see recordArrival). Runs that
   * arrived before it send them as two, and replay so.
   */
  async function recordWithFirstNotice(n: DocumentNotice): Promise<void> {
    if (!patched('record-arrival')) {
      await record();
      await notify(n);
      return;
    }
    await recordArrival({ change: change(), notice: noticeArgs(n) });
  }

  // ---- steps (updates) -----------------------------------------------------

  /** Throws to refuse: the update is rejected before it enters history. */
  function validate(step: DocumentStep, _args: StepArgs): void {
    const why = refusal(s.state, step);
    if (why) throw new Error(why);
  }

  async function step(step: DocumentStep, args: StepArgs, approved = true, data: Record<string, unknown> = {}, tasks: LedgerTaskView[] = []) {
    // State changes synchronously, before any await, so a concurrent update's
    // validator already sees it.
    const from = s.state;
    s.state = nextState(s.state, step, approved);
    const now = new Date().toISOString();
    if (step === 'openLedger') s.ledgerOpenedAt = now;
    if (step === 'submitDraft' && !s.draftSubmittedAt) s.draftSubmittedAt = now;
    if (step === 'issuance') {
      s.issuedAt = now;
      s.distributionDueAt = deadlineAfter(now, p().distributionAckWithin, calendar()).at;
      completeIfDone();
    }
    await record({ step, actor: args.actor, data: { ...data, note: args.note, approved, from, to: s.state } }, tasks);
    return view();
  }

  /** Issued, every district acknowledged and every ledger task closed: nothing is owed any more. */
  function completeIfDone(): void {
    if (s.state === 'ISSUED' && (s.districts ?? []).every((d) => d.acknowledgedAt) && s.tasks.every((t) => t.status === 'CLOSED')) s.state = 'COMPLETED';
  }

  /**
   * 第五条（二）: the 交办单 to the lead unit. Its clocks count from receipt when the lead was known
   * then, else from now (the reform office just named it); the month from `s.dueFrom`.
   */
  function assign(leadAssignedAt?: string): void {
    const now = new Date().toISOString();
    s.assignedAt = now;
    s.draftFrom = assignmentClock(s.receivedAt!, leadAssignedAt);
    s.draftDueAt = draftDeadline();
    s.ledgerDueAt = ledgerDeadline();
    upsertSearchAttributes({ DubanUnits: [s.leadUnitId ?? REFORM_OFFICE_ID, ...input.participantUnitIds] });
  }

  function addTask(t: LedgerTaskInput): LedgerTaskView {
    s.taskSeq += 1;
    const task: LedgerTaskView = { ...t, id: `${workflowId}:task-${s.taskSeq}`, status: 'OPEN' };
    s.tasks.push(task);
    return task;
  }

  function openTask(taskId: string) {
    const task = s.tasks.find((t) => t.id === taskId);
    if (!task) throw new Error(`台账任务 ${taskId} 不存在`);
    if (task.status === 'CLOSED') throw new Error(`台账任务“${task.title}”已销号`);
    return task;
  }

  setHandler(stateQuery, view);
  setHandler(linkedSignal, async ({ docNumber }) => {
    s.linkedDocNumber = docNumber;
    await record();
  });
  setHandler(
    assignLeadUpdate,
    async (a) => {
      s.leadUnitId = a.leadUnitId;
      s.leadAssignedAt = new Date().toISOString();
      // 第二十一条: the month is now the named lead unit's to meet, under its own policy.
      const due = issuanceDeadline();
      s.dueAt = due.at;
      assign(s.leadAssignedAt);
      const view = await step('assignLead', a, true, { leadUnitId: a.leadUnitId });
      await notify({ kind: 'ASSIGNMENT', step: 'assignment', explanation: { ...s.dueFrom!, offset: describeDeadline(p().assignmentDeadline, due), dueAt: s.dueAt } });
      return view;
    },
    { validator: (a) => validate('assignLead', a) },
  );
  setHandler(acknowledgeUpdate, (a) => step('acknowledge', a), { validator: (a) => validate('acknowledge', a) });
  setHandler(
    acknowledgeDistributionUpdate,
    async (a) => {
      const d = s.districts!.find((x) => x.unitId === a.districtId)!;
      d.acknowledgedAt = new Date().toISOString();
      d.acknowledgedBy = a.actor.officialId;
      completeIfDone();
      await record({ step: 'acknowledgeDistribution', actor: a.actor, data: { districtId: a.districtId, note: a.note } });
      return view();
    },
    {
      validator: (a) => {
        if (!s.issuedAt) throw new Error('市级配套文件尚未印发，无需签收');
        const d = s.districts?.find((x) => x.unitId === a.districtId);
        if (!d) throw new Error(`市级配套文件未印发到 ${a.districtId}`);
        if (d.acknowledgedAt) throw new Error('该区县已签收市级配套文件');
      },
    },
  );
  setHandler(
    openLedgerUpdate,
    (a) => {
      const tasks = a.tasks.map(addTask);
      return step('openLedger', a, true, { leadLeaderId: a.leadLeaderId, draftingUnitId: a.draftingUnitId, timeline: a.timeline, tasks: a.tasks.length }, tasks);
    },
    {
      validator: (a) => {
        validate('openLedger', a);
        // 第四条（二）: the ledger decomposes the work into tasks for departments and named persons.
        if (a.tasks.length === 0) throw new Error('台账须将任务分解到部门和具体责任人，至少一项任务');
      },
    },
  );
  setHandler(submitDraftUpdate, (a) => step('submitDraft', a), { validator: (a) => validate('submitDraft', a) });
  setHandler(legalReviewUpdate, (a) => step('legalReview', a, a.approved), { validator: (a) => validate('legalReview', a) });
  setHandler(executiveMeetingUpdate, (a) => step('executiveMeeting', a, a.approved), { validator: (a) => validate('executiveMeeting', a) });
  setHandler(adoptionUpdate, (a) => step('adoption', a, a.approved), { validator: (a) => validate('adoption', a) });
  setHandler(
    issuanceUpdate,
    (a) => {
      s.districts = a.districtIds.map((unitId) => ({ unitId }));
      return step('issuance', a, true, { municipalDocNumber: a.municipalDocNumber, municipalTitle: a.municipalTitle, districtIds: a.districtIds });
    },
    { validator: (a) => validate('issuance', a) },
  );
  setHandler(
    exemptionUpdate,
    (a) => {
      s.exemptReason = a.reason;
      return step('exemption', a, true, { reason: a.reason });
    },
    { validator: (a) => validate('exemption', a) },
  );
  setHandler(
    addLedgerTaskUpdate,
    async (a) => {
      const task = addTask(a);
      await record({ step: 'addLedgerTask', actor: a.actor, data: { title: a.title, unitId: a.unitId, ownerId: a.ownerId, dueAt: a.dueAt } }, [task]);
      return view();
    },
    {
      validator: (_a) => {
        if (TERMINAL.has(s.state) || s.state === 'AWAITING_LEAD' || s.state === 'ASSIGNED' || s.state === 'PROMPTED') throw new Error(`当前状态为“${STATE_LABELS[s.state]}”，不能添加台账任务`);
      },
    },
  );
  setHandler(
    ledgerProgressUpdate,
    async (a) => {
      await record({ step: 'ledgerProgress', actor: a.actor, data: { taskId: a.taskId, note: a.note } });
      return view();
    },
    { validator: (a) => void openTask(a.taskId) },
  );
  setHandler(
    closeLedgerTaskUpdate,
    async (a) => {
      const task = openTask(a.taskId);
      task.status = 'CLOSED';
      task.closedAt = new Date().toISOString();
      completeIfDone();
      await record({ step: 'closeLedgerTask', actor: a.actor, data: { taskId: a.taskId, note: a.note } }, [task]);
      return view();
    },
    { validator: (a) => void openTask(a.taskId) },
  );
  setHandler(
    reassignUpdate,
    async (a) => {
      let from: string[];
      const touched: LedgerTaskView[] = [];
      if (a.target === 'document') {
        from = s.responsibleIds ?? [];
        s.responsibleIds = a.toOfficialIds;
      } else {
        const task = openTask(a.target);
        from = [task.ownerId];
        task.ownerId = a.toOfficialIds[0];
        touched.push(task);
      }
      await record({ step: 'reassign', actor: a.actor, data: { target: a.target, from, to: a.toOfficialIds, note: a.note } }, touched);
      return view();
    },
    {
      validator: (a) => {
        if (TERMINAL.has(s.state)) throw new Error(`文件已办结（${STATE_LABELS[s.state]}），不能调整责任人`);
        if (a.target !== 'document') openTask(a.target);
        if (a.toOfficialIds.length === 0) throw new Error('至少指定一名责任人');
      },
    },
  );
  setHandler(
    manualChaseUpdate,
    async (a) => {
      const update = currentUpdateInfo();
      const task = s.tasks.find((t) => t.id === a.obligation);
      const dueAt = task ? task.dueAt : documentObligations(s, workflowId).find((o) => o.key === `${workflowId}:${a.obligation}`)?.dueAt;
      const recorded = record({ step: 'manualChase', actor: a.actor, data: { obligation: a.obligation, note: a.note } });
      await notify(
        { kind: 'MANUAL_CHASE', step: `manual-chase:${update?.id ?? a.obligation}`, explanation: { startEvent: '市委改革办人工催办', startedAt: new Date().toISOString(), offset: '即时', dueAt }, task },
        { createdBy: a.actor.officialId, note: a.note },
      );
      await recorded;
      return view();
    },
    {
      validator: (a) => {
        if (TERMINAL.has(s.state)) throw new Error(`文件已办结（${STATE_LABELS[s.state]}），无需催办`);
        const open = documentObligations(s, workflowId).some((o) => o.status === 'OPEN' && o.key === `${workflowId}:${a.obligation}`);
        if (!open) throw new Error(`事项“${a.obligation}”当前没有待办义务，无需催办`);
      },
    },
  );

  // ---- arrival ---------------------------------------------------------------

  if (!input.carried) {
    const arrivedAt = new Date().toISOString();
    s.registeredAt = arrivedAt;
    s.receivedAt = receipt(input, arrivedAt);
    upsertSearchAttributes({ DubanFamily: ['document'], DubanLevel: [input.level], DubanUnits: [s.leadUnitId ?? REFORM_OFFICE_ID, ...input.participantUnitIds] });
    if (input.level === 'PROVINCIAL') {
      // 第五条（三）: the municipal document is due within one month of the policy's anchor.
      s.dueFrom = deadlineClock(input, p(), s.receivedAt);
      const due = issuanceDeadline();
      s.dueAt = due.at;
      if (s.leadUnitId) {
        // 第五条（二）: 交办单 at once.
        assign();
        await recordWithFirstNotice({ kind: 'ASSIGNMENT', step: 'assignment', explanation: { ...s.dueFrom, offset: describeDeadline(p().assignmentDeadline, due), dueAt: s.dueAt } });
      } else {
        // No lead unit: the reform office names one (its own short deadline), then the 交办单 goes out.
        s.state = 'AWAITING_LEAD';
        const lead = leadDeadline();
        s.leadDueAt = lead.at;
        await recordWithFirstNotice({ kind: 'LEAD_REQUEST', step: 'lead-request', explanation: { startEvent: '省级改革文件到市', startedAt: s.receivedAt, offset: describeDeadline(p().leadAssignmentWithin, lead), dueAt: s.leadDueAt } });
      }
    } else if (s.linkedDocNumber) {
      // Its provincial document arrived first and already carries the assignment.
      s.state = 'LINKED';
      await record({ step: 'linked', data: { provincialDocNumber: s.linkedDocNumber } });
    } else {
      // 第五条（一）: 提示单 at once to the relevant departments.
      await recordWithFirstNotice({ kind: 'PROMPT', step: 'prompt', explanation: { startEvent: '中央改革文件到市', startedAt: s.receivedAt, offset: '即时' } });
    }
  }

  // ---- timed duties ------------------------------------------------------------

  const dispatched = () => {
    let k = 0;
    while (fired.has(`ledger-dispatch-${k + 1}`)) k++;
    return k;
  };
  await runDuties<DocumentDuty>({
    due: () => documentDuties(s, p(), dispatched()),
    fired,
    revision: () => revisions.revision,
    finished: () => TERMINAL.has(s.state),
    continueAsNew: () => continueAsNew<typeof documentWorkflow>({ ...input, carried: carried() }),
    async fire(d) {
      if (d.link) {
        s.state = 'LINKED';
        await record({ step: 'linked', data: { provincialDocNumber: s.linkedDocNumber } });
      }
      if (d.followUps) s.followUps = d.followUps;
      // A duty already due when the document was registered (a backlog imported late) fires at once and says since when.
      const late = s.registeredAt && d.at > 0 && d.at < new Date(s.registeredAt).getTime() ? { dueSince: new Date(d.at).toISOString(), registeredAt: s.registeredAt } : undefined;
      for (const n of d.notices) await notify(n, { late });
    },
  });
  return view();
}
