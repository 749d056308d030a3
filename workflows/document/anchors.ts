// Which instant each of a document's clocks counts from (第五条). Only the
// anchors: the arithmetic from an anchor to a deadline is common/policy's.
// Pure: the workflow calls it at arrival and at the lead's assignment, the
// unit tests read it.
import type { DocumentPolicy } from '../../common/policy/document';
import type { Clock, DocumentWorkflowInput } from './messages';

/** When the document reached the city: as registered, else the workflow's start. */
export function receipt(input: Pick<DocumentWorkflowInput, 'receivedAt'>, startedAt: string): string {
  return input.receivedAt ?? startedAt;
}

/**
 * 第五条（三） "上级重大改革方案出台一月之内": the municipal document's month counts from the
 * superior document's issuance, or from its receipt when the policy says so (or the issuance is unknown).
 */
export function deadlineClock(input: Pick<DocumentWorkflowInput, 'superiorIssuedAt'>, p: Pick<DocumentPolicy, 'deadlineAnchor'>, receivedAt: string): Clock {
  if (p.deadlineAnchor === 'SUPERIOR_ISSUANCE' && input.superiorIssuedAt) return { startEvent: '省级改革文件印发', startedAt: input.superiorIssuedAt };
  return { startEvent: '省级改革文件到市', startedAt: receivedAt };
}

/**
 * 第五条（二）: the 交办单 goes out "第一时间" when the provincial document reaches the city, so with
 * its lead unit known the three weeks (and the ledger's days) count from receipt, however late the
 * document was registered. Without one they count from the reform office's naming of the lead:
 * the lead unit cannot owe what it was never given (the office's own step has its deadline).
 */
export function assignmentClock(receivedAt: string, leadAssignedAt?: string): Clock {
  return leadAssignedAt ? { startEvent: '市委改革办确定牵头部门并下发交办单', startedAt: leadAssignedAt } : { startEvent: '省级改革文件到市', startedAt: receivedAt };
}
