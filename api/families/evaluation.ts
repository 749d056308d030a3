// The annual evaluation (第九条, 第十四条（三）) in the administrators' views:
// its labels, its notices and its subject, the year.
import { EVALUATION_NOTICE_LABELS } from '../../activities/evaluationTexts';
import { evaluatedUnits, PHASE_LABELS, type EvaluationPlan, type Experience } from '../../workflows/evaluation/state';
import { CALENDAR_SIGNALS, type Family, type Subject } from './family';

const subject = (e: { id: string; workflowId: string; year: number; body: unknown }): Subject => {
  const body = e.body as { experiences?: Experience[]; plan?: EvaluationPlan };
  return {
    type: 'evaluation',
    id: e.id,
    workflowId: e.workflowId,
    title: `${e.year}年度改革评估（${e.year - 1}年重大改革事项和创新改革经验）`,
    reference: e.id,
    unitIds: evaluatedUnits(body.experiences ?? [], body.plan),
  };
};
const SUBJECT_FIELDS = { id: true, workflowId: true, year: true, body: true } as const;

export const evaluationFamily: Family = {
  family: 'evaluation',
  workflowType: 'evaluationWorkflow',
  title: '年度改革评估流程',
  rule: '第九条',
  updates: {
    submitPlan: { label: '确定评估事项、评估机构和评估方案', rule: '第九条（一）至（三）', describe: (a) => a?.plan?.evaluator?.name },
    submitSelfScore: { label: '区县自评并自选实地评估经验', rule: '第十四条（三）', describe: (a) => a?.unitId },
    submitDepartmentScore: { label: '牵头部门评分并报送书面材料', rule: '第十四条（三）', describe: (a) => a?.unitId },
    submitEvaluationReport: { label: '提交评估报告', rule: '第九条（四）', describe: (a) => a?.title },
    reviewEvaluationReport: { label: '审核评估报告', rule: '第九条（四）', describe: (a) => (a ? (a.approved ? '通过' : `退回${a.note ? `：${a.note}` : ''}`) : undefined) },
    recordDecision: { label: '市领导审定', rule: '第九条（四）', describe: (a) => (a ? (a.publish ? `公开：${(a.channels ?? []).join('、')}` : '不公开') : undefined) },
    closeFollowUp: { label: '报送整改或问责情况', rule: '第九条（五）', describe: (a) => a?.followUpId },
    evaluationReady: { label: '确认年度评估已启动' },
  },
  signals: CALENDAR_SIGNALS,
  activities: {
    recordChange: { label: '记录评估阶段、评分、报告与待办义务', rule: '第九条' },
    loadEvaluationExperiences: { label: '读取上年度创新改革经验', rule: '第十四条（三）' },
    resolveEvaluationPolicy: { label: '确定适用的运行规则版本' },
    sendEvaluationNotice: { label: '发送通知', describe: (a) => a?.kind && (EVALUATION_NOTICE_LABELS[a.kind as keyof typeof EVALUATION_NOTICE_LABELS] ?? a.kind) },
  },
  states: PHASE_LABELS,
  noticeKinds: EVALUATION_NOTICE_LABELS,
  warningWindow: (policy) => policy.evaluation.warningWindow,
  async subjects(db, workflowIds) {
    return (await db.evaluation.findMany({ where: { workflowId: { in: workflowIds } }, select: SUBJECT_FIELDS })).map(subject);
  },
  async workflowIdOf(db, key) {
    return (await db.evaluation.findUnique({ where: { id: key }, select: { workflowId: true } }))?.workflowId;
  },
};
