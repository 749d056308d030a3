// One long-running workflow per superior reform document: 提示单 → 交办单 →
// 催办单 at three weeks → 责令书 at one month, through drafting, review,
// adoption and issuance, then monthly ledger dispatch until every task is
// closed (第四条, 第五条). Durations come from the policy in the input.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activities, shouldContinueAsNew, type Alarm } from '../shared';
import type { DocumentNoticeArgs, ObligationSpec } from '../../activities/document';
import type { DocumentNoticeKind } from '../../activities/documentTexts';
import { REFORM_OFFICE_ID } from '../../common/org';
import { addDuration, describeDuration, subtractDuration } from '../../common/policy/duration';
import {
  acknowledgeUpdate,
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
  type StepArgs,
} from './messages';
import { nextState, refusal, STATE_LABELS, TERMINAL, type DocumentStep } from './state';

const { recordDocument, sendDocumentNotice } = activities;

const RULE = '第五条';


export async function documentWorkflow(input: DocumentWorkflowInput): Promise<DocumentView> {
  const { policy } = input;
  const p = policy.document;
  const workflowId = workflowInfo().workflowId;
  const s: CarriedState = input.carried ?? {
    state: input.level === 'CENTRAL' ? 'PROMPTED' : 'ASSIGNED',
    leadUnitId: input.leadUnitId,
    linkedDocNumber: input.linkedDocNumber,
    fired: [],
    followUps: 0,
    tasks: [],
    taskSeq: 0,
  };
  const fired = new Set(s.fired);

  const view = (): DocumentView => {
    const { fired: _f, taskSeq: _t, ...rest } = { ...s, fired: [...fired] };
    return {
      ...rest,
      docNumber: input.docNumber,
      level: input.level,
      policyVersion: policy.version,
      chased: fired.has('chase'),
      ordered: fired.has('order'),
    };
  };

  // ---- persistence helpers -------------------------------------------------

  /** The complete set of open obligations in the current state. */
  function obligations(): ObligationSpec[] {
    const out: ObligationSpec[] = [];
    const unitId = s.leadUnitId ?? REFORM_OFFICE_ID;
    const officialId = s.responsibleIds?.[0];
    if (s.assignedAt && !s.draftSubmittedAt && !TERMINAL.has(s.state)) {
      out.push({ key: `${workflowId}:draft`, title: '报送上会文件初稿', rule: RULE, unitId, officialId, dueAt: s.draftDueAt! });
    }
    if (s.assignedAt && !s.issuedAt && !TERMINAL.has(s.state)) {
      out.push({ key: `${workflowId}:issuance`, title: '出台市级配套文件并印发到区县', rule: RULE, unitId, officialId, dueAt: s.dueAt! });
    }
    if (s.state === 'ISSUED') {
      for (const t of s.tasks.filter((t) => t.status === 'OPEN')) {
        out.push({ key: `${workflowId}:${t.id}`, title: `台账任务：${t.title}`, rule: RULE, unitId: t.unitId, officialId: t.ownerId, dueAt: t.dueAt });
      }
    }
    return out;
  }

  async function persist(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }): Promise<void> {
    const update = currentUpdateInfo();
    await recordDocument({
      documentId: input.documentId,
      workflowId,
      state: s.state,
      dueAt: s.dueAt,
      leadUnitId: s.leadUnitId,
      linkedDocNumber: s.linkedDocNumber,
      exemptReason: s.exemptReason,
      event: event && {
        // The update id (the HTTP Idempotency-Key when given) makes the row write idempotent.
        key: `${workflowId}:${update?.id ?? event.step}`,
        step: event.step,
        actorId: event.actor?.officialId,
        at: new Date().toISOString(),
        data: event.data,
      },
      obligations: obligations(),
      tasks: s.tasks,
    });
    // DubanDueAt is the earliest open obligation, cleared when none is left, so
    // an "overdue" search never finds a document that is on time or done.
    const due = obligations().map((o) => o.dueAt).sort()[0];
    upsertSearchAttributes({ DubanState: [s.state], DubanDueAt: due ? [new Date(due)] : [] });
  }

  async function notify(
    kind: DocumentNoticeKind,
    step: string,
    explanation: { startEvent: string; startedAt: string; offset: string; dueAt?: string },
    extra: Partial<DocumentNoticeArgs> = {},
  ): Promise<void> {
    await sendDocumentNotice({
      workflowId,
      documentId: input.documentId,
      kind,
      step,
      explanation: { rule: RULE, ...explanation },
      dueAt: explanation.dueAt,
      leadUnitId: s.leadUnitId,
      participantUnitIds: input.participantUnitIds,
      responsibleIds: s.responsibleIds,
      ...extra,
    });
  }

  // ---- steps (updates) -----------------------------------------------------

  /** Throws to refuse: the update is rejected before it enters history. */
  function validate(step: DocumentStep, _args: StepArgs): void {
    const why = refusal(s.state, step);
    if (why) throw new Error(why);
  }

  async function step(step: DocumentStep, args: StepArgs, approved = true, data: Record<string, unknown> = {}) {
    // State changes synchronously, before any await, so a concurrent update's
    // validator already sees it.
    const from = s.state;
    s.state = nextState(s.state, step, approved);
    const now = new Date().toISOString();
    if (step === 'submitDraft' && !s.draftSubmittedAt) s.draftSubmittedAt = now;
    if (step === 'issuance') s.issuedAt = now;
    if (step === 'issuance' && s.tasks.every((t) => t.status === 'CLOSED')) s.state = 'COMPLETED';
    await persist({ step, actor: args.actor, data: { ...data, note: args.note, approved, from, to: s.state } });
    return view();
  }

  function addTask(t: LedgerTaskInput): void {
    s.taskSeq += 1;
    s.tasks.push({ ...t, id: `${workflowId}:task-${s.taskSeq}`, status: 'OPEN' });
  }

  function openTask(taskId: string) {
    const task = s.tasks.find((t) => t.id === taskId);
    if (!task) throw new Error(`台账任务 ${taskId} 不存在`);
    if (task.status === 'CLOSED') throw new Error(`台账任务“${task.title}”已销号`);
    return task;
  }

  setHandler(stateQuery, view);
  setHandler(linkedSignal, ({ docNumber }) => {
    s.linkedDocNumber = docNumber;
  });
  setHandler(acknowledgeUpdate, (a) => step('acknowledge', a), { validator: (a) => validate('acknowledge', a) });
  setHandler(
    openLedgerUpdate,
    (a) => {
      a.tasks.forEach(addTask);
      return step('openLedger', a, true, { leadLeaderId: a.leadLeaderId, draftingUnitId: a.draftingUnitId, timeline: a.timeline, tasks: a.tasks.length });
    },
    { validator: (a) => validate('openLedger', a) },
  );
  setHandler(submitDraftUpdate, (a) => step('submitDraft', a), { validator: (a) => validate('submitDraft', a) });
  setHandler(legalReviewUpdate, (a) => step('legalReview', a, a.approved), { validator: (a) => validate('legalReview', a) });
  setHandler(executiveMeetingUpdate, (a) => step('executiveMeeting', a, a.approved), { validator: (a) => validate('executiveMeeting', a) });
  setHandler(adoptionUpdate, (a) => step('adoption', a, a.approved), { validator: (a) => validate('adoption', a) });
  setHandler(
    issuanceUpdate,
    (a) => step('issuance', a, true, { municipalDocNumber: a.municipalDocNumber, municipalTitle: a.municipalTitle, districtIds: a.districtIds }),
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
      addTask(a);
      await persist({ step: 'addLedgerTask', actor: a.actor, data: { title: a.title, unitId: a.unitId, ownerId: a.ownerId, dueAt: a.dueAt } });
      return view();
    },
    {
      validator: (_a) => {
        if (TERMINAL.has(s.state) || s.state === 'ASSIGNED' || s.state === 'PROMPTED') throw new Error(`当前状态为“${STATE_LABELS[s.state]}”，不能添加台账任务`);
      },
    },
  );
  setHandler(
    ledgerProgressUpdate,
    async (a) => {
      await persist({ step: 'ledgerProgress', actor: a.actor, data: { taskId: a.taskId, note: a.note } });
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
      if (s.state === 'ISSUED' && s.tasks.every((t) => t.status === 'CLOSED')) s.state = 'COMPLETED';
      await persist({ step: 'closeLedgerTask', actor: a.actor, data: { taskId: a.taskId, note: a.note } });
      return view();
    },
    { validator: (a) => void openTask(a.taskId) },
  );
  setHandler(
    reassignUpdate,
    async (a) => {
      let from: string[] = [];
      if (a.target === 'document') {
        from = s.responsibleIds ?? [];
        s.responsibleIds = a.toOfficialIds;
      } else {
        const task = openTask(a.target);
        from = [task.ownerId];
        task.ownerId = a.toOfficialIds[0];
      }
      await persist({ step: 'reassign', actor: a.actor, data: { target: a.target, from, to: a.toOfficialIds, note: a.note } });
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
      const dueAt = task ? task.dueAt : a.obligation === 'draft' ? s.draftDueAt : s.dueAt;
      await notify(
        'MANUAL_CHASE',
        `manual-chase:${update?.id ?? a.obligation}`,
        { startEvent: '市委改革办人工催办', startedAt: new Date().toISOString(), offset: '即时', dueAt },
        { task, createdBy: a.actor.officialId, note: a.note },
      );
      await persist({ step: 'manualChase', actor: a.actor, data: { obligation: a.obligation, note: a.note } });
      return view();
    },
    {
      validator: (a) => {
        if (TERMINAL.has(s.state)) throw new Error(`文件已办结（${STATE_LABELS[s.state]}），无需催办`);
        const open = obligations().some((o) => o.key === `${workflowId}:${a.obligation}`);
        if (!open) throw new Error(`事项“${a.obligation}”当前没有待办义务，无需催办`);
      },
    },
  );

  // ---- arrival ---------------------------------------------------------------

  if (!input.carried) {
    const arrivedAt = new Date().toISOString();
    upsertSearchAttributes({ DubanFamily: ['document'], DubanLevel: [input.level], DubanUnits: [s.leadUnitId ?? REFORM_OFFICE_ID, ...input.participantUnitIds] });
    if (input.level === 'PROVINCIAL') {
      // 第五条（二）: 交办单 at once; due within one month (policy).
      s.assignedAt = arrivedAt;
      s.draftDueAt = addDuration(new Date(arrivedAt), p.chaseAfter).toISOString();
      s.dueAt = addDuration(new Date(arrivedAt), p.assignmentDeadline).toISOString();
      await persist();
      await notify('ASSIGNMENT', 'assignment', {
        startEvent: '省级改革文件到市',
        startedAt: arrivedAt,
        offset: describeDuration(p.assignmentDeadline),
        dueAt: s.dueAt,
      });
    } else if (s.linkedDocNumber) {
      // Its provincial document arrived first and already carries the assignment.
      s.state = 'LINKED';
      await persist({ step: 'linked', data: { provincialDocNumber: s.linkedDocNumber } });
    } else {
      // 第五条（一）: 提示单 at once to the relevant departments.
      await persist();
      await notify('PROMPT', 'prompt', { startEvent: '中央改革文件到市', startedAt: arrivedAt, offset: '即时' });
    }
  }

  // ---- timers ----------------------------------------------------------------

  /** The timed duties of the current state; each fires at most once (its key is remembered). */
  function alarms(): Alarm[] {
    const out: Alarm[] = [];
    if (!s.assignedAt || TERMINAL.has(s.state)) return out;
    const assignedAt = s.assignedAt;
    const draftDue = new Date(s.draftDueAt!);
    const due = new Date(s.dueAt!);
    if (!s.draftSubmittedAt) {
      p.remindBefore.forEach((before, i) => {
        out.push({
          key: `reminder-draft-${i}`,
          at: subtractDuration(draftDue, before).getTime(),
          fire: () =>
            notify('REMINDER', `reminder-draft-${i}`, { startEvent: '交办单下发', startedAt: assignedAt, offset: `${describeDuration(p.chaseAfter)}（提前${describeDuration(before)}提醒）`, dueAt: s.draftDueAt }),
        });
      });
      // 第五条（三）: three weeks after assignment without a first draft → 催办单, exactly once.
      out.push({
        key: 'chase',
        at: draftDue.getTime(),
        fire: () => notify('CHASE', 'chase', { startEvent: '交办单下发', startedAt: assignedAt, offset: describeDuration(p.chaseAfter), dueAt: s.dueAt }),
      });
    }
    if (!s.issuedAt) {
      p.remindBefore.forEach((before, i) => {
        out.push({
          key: `reminder-deadline-${i}`,
          at: subtractDuration(due, before).getTime(),
          fire: () =>
            notify('REMINDER', `reminder-deadline-${i}`, { startEvent: '交办单下发', startedAt: assignedAt, offset: `${describeDuration(p.assignmentDeadline)}（提前${describeDuration(before)}提醒）`, dueAt: s.dueAt }),
        });
      });
      // The one-month deadline passed without issuance → 责令书 to the lead department's head.
      out.push({
        key: 'order',
        at: due.getTime(),
        fire: () => notify('ORDER', 'order', { startEvent: '交办单下发', startedAt: assignedAt, offset: describeDuration(p.assignmentDeadline), dueAt: s.dueAt }),
      });
      // Then follow-ups at the policy's interval until issued: never silence.
      const n = s.followUps + 1;
      let at = due;
      for (let i = 0; i < n; i++) at = addDuration(at, p.orderFollowUpEvery);
      out.push({
        key: `order-follow-up-${n}`,
        at: at.getTime(),
        fire: async () => {
          s.followUps = n;
          await notify(
            'ORDER_FOLLOW_UP',
            `order-follow-up-${n}`,
            { startEvent: '责令书下发', startedAt: s.dueAt!, offset: `每${describeDuration(p.orderFollowUpEvery)}（第${n}次）`, dueAt: s.dueAt },
            { followUp: n, escalate: n >= p.escalateToLeaderAfter },
          );
        },
      });
    }
    if (s.state === 'ISSUED' && s.issuedAt) {
      // 第五条: after issuance the ledger's tasks are dispatched monthly until closed (销号).
      let k = 1;
      while (fired.has(`ledger-dispatch-${k}`)) k++;
      let at = new Date(s.issuedAt);
      for (let i = 0; i < k; i++) at = addDuration(at, p.ledgerDispatchEvery);
      const issuedAt = s.issuedAt;
      out.push({
        key: `ledger-dispatch-${k}`,
        at: at.getTime(),
        fire: async () => {
          for (const task of s.tasks.filter((t) => t.status === 'OPEN')) {
            await notify(
              'LEDGER_DISPATCH',
              `ledger-dispatch-${k}:${task.id}`,
              { startEvent: '配套文件印发', startedAt: issuedAt, offset: `每${describeDuration(p.ledgerDispatchEvery)}（第${k}次调度）`, dueAt: task.dueAt },
              { task },
            );
          }
        },
      });
    }
    return out.filter((a) => !fired.has(a.key));
  }

  let seen = '';
  const fingerprint = () => JSON.stringify([s.state, s.draftSubmittedAt, s.issuedAt, s.linkedDocNumber]);
  for (;;) {
    if (s.state === 'PROMPTED' && s.linkedDocNumber) {
      s.state = 'LINKED';
      await persist({ step: 'linked', data: { provincialDocNumber: s.linkedDocNumber } });
    }
    if (TERMINAL.has(s.state)) break;
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof documentWorkflow>({ ...input, carried: { ...s, fired: [...fired] } });
    }
    const pending = alarms().sort((a, b) => a.at - b.at);
    const next = pending[0];
    seen = fingerprint();
    const changed = next
      ? await condition(() => fingerprint() !== seen, Math.max(next.at - Date.now(), 1))
      : (await condition(() => fingerprint() !== seen), true);
    if (!changed && next && Date.now() >= next.at) {
      fired.add(next.key);
      await next.fire();
    }
  }
  await condition(allHandlersFinished);
  return view();
}
