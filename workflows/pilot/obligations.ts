// What a pilot's workflow owes, and to whom (第十一条 (五)–(七), 第十三条): the lead
// unit answers each monthly dispatch and completes the pilot by its time limit;
// the reform office accepts it and reports it upward. Pure: the workflow
// records it, the tests check it.
import type { Obligation } from '../../common/obligations';
import { REFORM_OFFICE_ID } from '../../common/org';
import type { PilotCarried } from './messages';

const TASKS = '第十一条';

export function pilotObligations(s: PilotCarried, workflowId: string, leadUnitId: string): Obligation[] {
  const out: Obligation[] = [];
  const running = s.state === 'RUNNING';
  const upwardRule = s.plan ? TASKS : '第十三条';
  if (s.plan) {
    s.dispatches.forEach((d, i) => {
      const report = s.progress.find((r) => r.dispatch === i + 1);
      out.push({
        key: `${workflowId}:progress-${i + 1}`,
        title: `报送试点进展（第${i + 1}次调度）`,
        rule: TASKS,
        unitId: leadUnitId,
        dueAt: d.dueAt,
        ...(report
          ? { status: 'DONE', reason: '已报送试点进展', closedAt: report.at }
          : running
            ? { status: 'OPEN' }
            : { status: 'CANCELLED', reason: '试点已申请验收，本次调度不再报送' }),
      });
    });
    out.push({
      key: `${workflowId}:completion`,
      title: '完成试点任务并申请验收',
      rule: TASKS,
      unitId: leadUnitId,
      officialId: s.plan.leaderId,
      dueAt: s.plan.dueAt,
      ...(running ? { status: 'OPEN' } : { status: 'DONE', reason: '已申请验收', closedAt: s.acceptanceRequestedAt }),
    });
    if (s.acceptanceRequestedAt && s.acceptanceDueAt) {
      out.push({
        key: `${workflowId}:acceptance`,
        title: '组织试点验收',
        rule: TASKS,
        unitId: REFORM_OFFICE_ID,
        dueAt: s.acceptanceDueAt,
        ...(s.state === 'ACCEPTANCE_REQUESTED'
          ? { status: 'OPEN' }
          : s.acceptedAt
            ? { status: 'DONE', reason: '已通过验收', closedAt: s.acceptedAt }
            : { status: 'DONE', reason: '验收未通过，退回整改' }),
      });
    }
  }
  if (s.upwardDueAt) {
    out.push({
      key: `${workflowId}:upward`,
      title: s.plan ? '向上级改革办报告试点成果' : '向上级改革办报告基层改革经验',
      rule: upwardRule,
      unitId: REFORM_OFFICE_ID,
      dueAt: s.upwardDueAt,
      ...(s.reportedAt ? { status: 'DONE', reason: '已上报推广', closedAt: s.reportedAt } : { status: 'OPEN' }),
    });
  }
  return out;
}
