// What the annual evaluation owes, and to whom (第九条, 第十四条（三）): the
// plan, each district's self-evaluation, each lead department's scores and
// material, the report, then each rectification and accountability record.
// Pure: the workflow records it, the tests check it.
import type { Obligation } from '../../common/obligations';
import { REFORM_OFFICE_ID } from '../../common/org';
import type { EvaluationState } from './messages';
import { evaluatedDistricts, scoringDepartments } from './state';

export function evaluationObligations(s: EvaluationState, workflowId: string): Obligation[] {
  const out: Obligation[] = [
    {
      key: `${workflowId}:plan`,
      title: '确定评估事项、第三方评估机构和评估方案',
      rule: '第九条',
      unitId: REFORM_OFFICE_ID,
      dueAt: s.planDueAt,
      ...(s.plannedAt ? { status: 'DONE', reason: '评估方案已确定', closedAt: s.plannedAt } : { status: 'OPEN' }),
    },
  ];
  if (!s.plan) return out;
  const reported = s.report ? { status: 'CANCELLED' as const, reason: '评估报告已形成，未按期报送' } : { status: 'OPEN' as const };
  for (const unitId of evaluatedDistricts(s.experiences)) {
    const done = s.selfScores.find((x) => x.unitId === unitId);
    out.push({
      key: `${workflowId}:self-score:${unitId}`,
      title: '对上年度创新改革经验推广情况自评打分',
      rule: '第十四条（三）',
      unitId,
      dueAt: s.plan.scoresDueAt,
      ...(done ? { status: 'DONE', reason: '已报送自评', closedAt: done.submittedAt } : reported),
    });
  }
  for (const unitId of scoringDepartments(s.experiences)) {
    const done = s.departmentScores.find((x) => x.unitId === unitId);
    out.push({
      key: `${workflowId}:department-score:${unitId}`,
      title: '对牵头经验在各区县的推广情况评分并报送书面材料',
      rule: '第十四条（三）',
      unitId,
      dueAt: s.plan.scoresDueAt,
      ...(done ? { status: 'DONE', reason: '已报送评分和书面材料', closedAt: done.submittedAt } : reported),
    });
  }
  out.push({
    key: `${workflowId}:report`,
    title: '形成评估报告',
    rule: '第九条（四）',
    unitId: REFORM_OFFICE_ID,
    dueAt: s.plan.reportDueAt,
    ...(s.report ? { status: 'DONE', reason: '评估报告已提交', closedAt: s.report.submittedAt } : { status: 'OPEN' }),
  });
  for (const f of s.followUps) {
    out.push({
      key: `${workflowId}:${f.id}`,
      title: f.kind === 'RECTIFICATION' ? `评估整改（回头抓）：${f.reason}` : `问责：${f.reason}`,
      rule: f.kind === 'RECTIFICATION' ? '第十四条（三）' : '第九条（五）',
      // Accountability is pursued by the reform office; the unit concerned rectifies.
      unitId: f.kind === 'RECTIFICATION' ? f.unitId : REFORM_OFFICE_ID,
      dueAt: f.dueAt,
      ...(f.doneAt ? { status: 'DONE', reason: f.kind === 'RECTIFICATION' ? '已报送整改落实情况' : '问责结果已记录', closedAt: f.doneAt } : { status: 'OPEN' }),
    });
  }
  return out;
}
