// The timed duties of a document (第五条), as data: reminders before each
// deadline, the 催办单 three weeks after the 交办单 when no draft came, the
// 责令书 at the month and weekly follow-ups until issuance, then the ledger's
// monthly dispatch until every task is closed; the reform office's naming of
// a missing lead unit, the ledger's "第一时间" (第四条（二）) and the districts'
// acknowledgement of the issued document each have one 催办. Pure: the workflow fires them
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
  /** The district a distribution notice goes to. */
  districtId?: string;
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
  if (TERMINAL.has(s.state)) return out;
  // A reminder of a deadline that had passed when the document was registered reminds nobody: the
  // chase or order it leads to fires at once instead, saying since when (a late-imported backlog).
  const registered = s.registeredAt ? new Date(s.registeredAt).getTime() : 0;
  const remind = (deadline: Date) => deadline.getTime() > registered;
  if (s.state === 'AWAITING_LEAD' && s.leadDueAt) {
    // The reform office has not named the lead unit in time → 催办 to the office itself.
    const explanation = { startEvent: '省级改革文件到市', startedAt: s.receivedAt!, offset: describeDuration(p.leadAssignmentWithin), dueAt: s.leadDueAt };
    out.push({ key: 'lead-chase', at: new Date(s.leadDueAt).getTime(), notices: [{ kind: 'LEAD_CHASE', step: 'lead-chase', explanation }] });
  }
  if (!s.assignedAt) return out;
  const draftFrom = s.draftFrom ?? { startEvent: '交办单下发', startedAt: s.assignedAt };
  const dueFrom = s.dueFrom ?? draftFrom;
  const draftDue = new Date(s.draftDueAt!);
  const due = new Date(s.dueAt!);
  if ((s.state === 'ASSIGNED' || s.state === 'ACKNOWLEDGED') && s.ledgerDueAt) {
    // 第四条（二）: sign and open the ledger "第一时间" → one 催办 when the policy's days pass without it.
    const explanation = { ...draftFrom, offset: describeDuration(p.ledgerWithin), dueAt: s.ledgerDueAt };
    out.push({ key: 'ledger-chase', at: new Date(s.ledgerDueAt).getTime(), notices: [{ kind: 'LEDGER_CHASE', step: 'ledger-chase', explanation }] });
  }
  if (!s.draftSubmittedAt) {
    p.remindBefore.forEach((before, i) => {
      const step = `reminder-draft-${i}`;
      if (remind(draftDue)) out.push({ key: step, at: subtractDuration(draftDue, before).getTime(), notices: [{ kind: 'REMINDER', step, explanation: { ...draftFrom, offset: `${describeDuration(p.chaseAfter)}（提前${describeDuration(before)}提醒）`, dueAt: s.draftDueAt } }] });
    });
    // 第五条（三）: three weeks after assignment without a first draft → 催办单, exactly once.
    out.push({ key: 'chase', at: draftDue.getTime(), notices: [{ kind: 'CHASE', step: 'chase', explanation: { ...draftFrom, offset: describeDuration(p.chaseAfter), dueAt: s.dueAt } }] });
  }
  if (!s.issuedAt) {
    p.remindBefore.forEach((before, i) => {
      const step = `reminder-deadline-${i}`;
      if (remind(due)) out.push({ key: step, at: subtractDuration(due, before).getTime(), notices: [{ kind: 'REMINDER', step, explanation: { ...dueFrom, offset: `${describeDuration(p.assignmentDeadline)}（提前${describeDuration(before)}提醒）`, dueAt: s.dueAt } }] });
    });
    // The month passed without issuance → 责令书 to the lead department's head.
    out.push({ key: 'order', at: due.getTime(), notices: [{ kind: 'ORDER', step: 'order', explanation: { ...dueFrom, offset: describeDuration(p.assignmentDeadline), dueAt: s.dueAt } }] });
    // Then follow-ups at the policy's interval until issued: never silence. A backlog registered
    // weeks after the order was due starts at the latest follow-up already due, not one per week missed.
    let n = s.followUps + 1;
    while (addRepeated(due, p.orderFollowUpEvery, n + 1).getTime() <= registered) n++;
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
  if (s.issuedAt && s.districts?.length) {
    // 第五条（三） 印发到区县: each district receives the municipal document, then acknowledges it.
    const from = { startEvent: '市级配套文件印发', startedAt: s.issuedAt };
    const notice = (kind: 'DISTRIBUTION' | 'DISTRIBUTION_CHASE', unitId: string): DocumentNotice => ({
      kind,
      step: `${kind === 'DISTRIBUTION' ? 'distribution' : 'distribution-chase'}:${unitId}`,
      explanation: { ...from, offset: kind === 'DISTRIBUTION' ? '即时' : describeDuration(p.distributionAckWithin), dueAt: s.distributionDueAt },
      districtId: unitId,
    });
    out.push({ key: 'distribution', at: new Date(s.issuedAt).getTime(), notices: s.districts.map((d) => notice('DISTRIBUTION', d.unitId)) });
    const waiting = s.districts.filter((d) => !d.acknowledgedAt);
    if (waiting.length) out.push({ key: 'distribution-chase', at: new Date(s.distributionDueAt!).getTime(), notices: waiting.map((d) => notice('DISTRIBUTION_CHASE', d.unitId)) });
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
