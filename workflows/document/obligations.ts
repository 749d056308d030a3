// What a document's workflow owes, and to whom (第五条): the first draft within
// three weeks, the municipal document within the month, then every 台账 task
// until it is closed (销号). Pure: the workflow records it, the tests check it.
import type { Obligation } from '../../common/obligations';
import { REFORM_OFFICE_ID } from '../../common/org';
import type { CarriedState } from './messages';

const RULE = '第五条';

export function documentObligations(s: CarriedState, workflowId: string): Obligation[] {
  if (!s.assignedAt) return [];
  const unitId = s.leadUnitId ?? REFORM_OFFICE_ID;
  const officialId = s.responsibleIds?.[0];
  const exempt = s.state === 'EXEMPT' ? { status: 'CANCELLED' as const, reason: `经认定无须市级配套：${s.exemptReason ?? ''}` } : undefined;
  const out: Obligation[] = [
    {
      key: `${workflowId}:draft`,
      title: '报送上会文件初稿',
      rule: RULE,
      unitId,
      officialId,
      dueAt: s.draftDueAt!,
      ...(s.draftSubmittedAt ? { status: 'DONE', reason: '已报送上会文件初稿', closedAt: s.draftSubmittedAt } : (exempt ?? { status: 'OPEN' })),
    },
    {
      key: `${workflowId}:issuance`,
      title: '出台市级配套文件并印发到区县',
      rule: RULE,
      unitId,
      officialId,
      dueAt: s.dueAt!,
      ...(s.issuedAt ? { status: 'DONE', reason: '已印发到区县', closedAt: s.issuedAt } : (exempt ?? { status: 'OPEN' })),
    },
  ];
  // After issuance the ledger's tasks are followed until each is closed.
  if (s.issuedAt) {
    for (const t of s.tasks) {
      out.push({
        key: `${workflowId}:${t.id}`,
        title: `台账任务：${t.title}`,
        rule: RULE,
        unitId: t.unitId,
        officialId: t.ownerId,
        dueAt: t.dueAt,
        ...(t.status === 'CLOSED' ? { status: 'DONE', reason: '已销号', closedAt: t.closedAt } : { status: 'OPEN' }),
      });
    }
  }
  return out;
}
