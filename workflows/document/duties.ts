// The timed duties of a document (第五条), as data: reminders before each
// deadline, the 催办单 three weeks after the 交办单 when no draft came, the
// 责令书 at the month and weekly follow-ups until issuance, then the ledger's
// monthly dispatch until every task is closed. Pure: the workflow fires them
// (workflows/duties.ts), the unit tests read them.
import type { DocumentNoticeKind } from '../../activities/documentTexts';
import type { DocumentPolicy } from '../../common/policy/document';
import { addRepeated, describeDuration, subtractDuration } from '../../common/policy/duration';
import type { Duty } from '../duties';
import type { CarriedState, LedgerTaskView } from './messages';
import { TERMINAL } from './state';

export interface DocumentNotice {
  kind: DocumentNoticeKind;
  step: string;
  explanation: { startEvent: string; startedAt: string; offset: string; dueAt?: string };
  task?: LedgerTaskView;
  followUp?: number;
  escalate?: boolean;
}

export interface DocumentDuty extends Duty {
  notices: DocumentNotice[];
  /** A CENTRAL document whose provincial one arrived: it ends as LINKED. */
  link?: boolean;
  /** The follow-up count this duty brings the document to. */
  followUps?: number;
}

/** `dispatched`: how many monthly ledger dispatches have fired (the next one is due after them). */
export function documentDuties(s: CarriedState, p: DocumentPolicy, dispatched: number): DocumentDuty[] {
  if (s.state === 'PROMPTED' && s.linkedDocNumber) return [{ key: 'linked', at: 0, notices: [], link: true }];
  const out: DocumentDuty[] = [];
  if (!s.assignedAt || TERMINAL.has(s.state)) return out;
  const assignedAt = s.assignedAt;
  const from = { startEvent: '交办单下发', startedAt: assignedAt };
  const draftDue = new Date(s.draftDueAt!);
  const due = new Date(s.dueAt!);
  if (!s.draftSubmittedAt) {
    p.remindBefore.forEach((before, i) => {
      const step = `reminder-draft-${i}`;
      out.push({ key: step, at: subtractDuration(draftDue, before).getTime(), notices: [{ kind: 'REMINDER', step, explanation: { ...from, offset: `${describeDuration(p.chaseAfter)}（提前${describeDuration(before)}提醒）`, dueAt: s.draftDueAt } }] });
    });
    // 第五条（三）: three weeks after assignment without a first draft → 催办单, exactly once.
    out.push({ key: 'chase', at: draftDue.getTime(), notices: [{ kind: 'CHASE', step: 'chase', explanation: { ...from, offset: describeDuration(p.chaseAfter), dueAt: s.dueAt } }] });
  }
  if (!s.issuedAt) {
    p.remindBefore.forEach((before, i) => {
      const step = `reminder-deadline-${i}`;
      out.push({ key: step, at: subtractDuration(due, before).getTime(), notices: [{ kind: 'REMINDER', step, explanation: { ...from, offset: `${describeDuration(p.assignmentDeadline)}（提前${describeDuration(before)}提醒）`, dueAt: s.dueAt } }] });
    });
    // The month passed without issuance → 责令书 to the lead department's head.
    out.push({ key: 'order', at: due.getTime(), notices: [{ kind: 'ORDER', step: 'order', explanation: { ...from, offset: describeDuration(p.assignmentDeadline), dueAt: s.dueAt } }] });
    // Then follow-ups at the policy's interval until issued: never silence.
    const n = s.followUps + 1;
    const step = `order-follow-up-${n}`;
    out.push({
      key: step,
      at: addRepeated(due, p.orderFollowUpEvery, n).getTime(),
      followUps: n,
      notices: [
        {
          kind: 'ORDER_FOLLOW_UP',
          step,
          explanation: { startEvent: '责令书下发', startedAt: s.dueAt!, offset: `每${describeDuration(p.orderFollowUpEvery)}（第${n}次）`, dueAt: s.dueAt },
          followUp: n,
          escalate: n >= p.escalateToLeaderAfter,
        },
      ],
    });
  }
  if (s.state === 'ISSUED' && s.issuedAt) {
    // 第五条: after issuance the ledger's open tasks are dispatched monthly until closed (销号).
    const k = dispatched + 1;
    const at = addRepeated(new Date(s.issuedAt), p.ledgerDispatchEvery, k);
    const explanation = { startEvent: '配套文件印发', startedAt: s.issuedAt, offset: `每${describeDuration(p.ledgerDispatchEvery)}（第${k}次调度）` };
    out.push({
      key: `ledger-dispatch-${k}`,
      at: at.getTime(),
      notices: s.tasks.filter((t) => t.status === 'OPEN').map((task) => ({ kind: 'LEDGER_DISPATCH', step: `ledger-dispatch-${k}:${task.id}`, explanation: { ...explanation, dueAt: task.dueAt }, task })),
    });
  }
  return out;
}
