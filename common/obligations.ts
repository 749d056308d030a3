// What a workflow owes the people it supervises, in one vocabulary for every
// family: each obligation is OPEN until the workflow closes it as DONE
// (fulfilled), CANCELLED (no longer owed) or SUPERSEDED (replaced by another),
// with a reason officials read. Pure: workflows, activities and the API share it.

export type ObligationStatus = 'OPEN' | 'DONE' | 'CANCELLED' | 'SUPERSEDED';

export interface Obligation {
  /** workflowId:name — the business key. */
  key: string;
  title: string;
  /** 第N条 */
  rule: string;
  unitId: string;
  officialId?: string;
  dueAt: string;
  status: ObligationStatus;
  /** Why it closed (Chinese); absent while OPEN. */
  reason?: string;
  /** When it closed, where the workflow knows (a report's filing time); else the closing change's time. */
  closedAt?: string;
}

export const OBLIGATION_STATUS_LABELS: Record<ObligationStatus, string> = {
  OPEN: '待办',
  DONE: '已办结',
  CANCELLED: '已取消',
  SUPERSEDED: '已被替代',
};

/** The reason recorded for an obligation the workflow stopped listing without saying why. */
export const SUPERSEDED_REASON = '办理要求已调整，由新的事项替代';
