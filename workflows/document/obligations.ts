// What a document's workflow owes, and to whom (第四条, 第五条): the reform
// office's naming of a missing lead unit, the lead unit's signature and ledger
// "第一时间", the first draft within three weeks, the municipal document within
// the month, each district's acknowledgement of it, then every 台账 task until
// it is closed (销号). Pure: the workflow records it, the tests check it.
import type { Obligation } from '../../common/obligations';
import { REFORM_OFFICE_ID } from '../../common/org';
import type { CarriedState } from './messages';

const RULE = '第五条';

export function documentObligations(s: CarriedState, workflowId: string): Obligation[] {
  const out: Obligation[] = [];
  const exempt = s.state === 'EXEMPT' ? { status: 'CANCELLED' as const, reason: `经认定无须市级配套：${s.exemptReason ?? ''}` } : undefined;
  if (s.leadDueAt) {
    out.push({
      key: `${workflowId}:lead`,
      title: '确定牵头部门并下发交办单',
      rule: RULE,
      unitId: REFORM_OFFICE_ID,
      dueAt: s.leadDueAt,
      ...(s.leadAssignedAt ? { status: 'DONE', reason: '已确定牵头部门并下发交办单', closedAt: s.leadAssignedAt } : (exempt ?? { status: 'OPEN' })),
    });
  }
  if (!s.assignedAt) return out;
  const unitId = s.leadUnitId ?? REFORM_OFFICE_ID;
  const officialId = s.responsibleIds?.[0];
  if (s.ledgerDueAt) {
    out.push({
      key: `${workflowId}:ledger`,
      title: '签收交办单并建立台账',
      rule: '第四条',
      unitId,
      officialId,
      dueAt: s.ledgerDueAt,
      ...(s.ledgerOpenedAt ? { status: 'DONE', reason: '已建立台账', closedAt: s.ledgerOpenedAt } : (exempt ?? { status: 'OPEN' })),
    });
  }
  out.push(
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
  );
  // After issuance each district acknowledges the document and the ledger's tasks are followed until each is closed.
  if (s.issuedAt) {
    for (const d of s.districts ?? []) {
      out.push({
        key: `${workflowId}:distribution:${d.unitId}`,
        title: '签收市级配套文件',
        rule: RULE,
        unitId: d.unitId,
        dueAt: s.distributionDueAt!,
        ...(d.acknowledgedAt ? { status: 'DONE', reason: '区县已签收', closedAt: d.acknowledgedAt } : { status: 'OPEN' }),
      });
    }
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
