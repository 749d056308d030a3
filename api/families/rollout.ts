// The rollout of one selected innovation experience (第十四条) in the
// administrators' views: its labels, its notices and its subject, the experience.
import { CALENDAR_SIGNALS, type Family, type Subject } from './family';

const NOTICE_KINDS: Record<string, string> = {
  START: '推广实施通知',
  REMINDER: '到期提醒',
  CHASE: '催办单',
  BULLETIN: '推广工作通报',
  PROBLEM: '整改通知',
  SUMMARY: '验收通报',
};

const subject = (r: { id: string; workflowId: string; title: string; leadUnitId: string; districtIds: string[] }): Subject => ({
  type: 'rollout',
  id: r.id,
  workflowId: r.workflowId,
  title: r.title,
  reference: r.id,
  unitIds: [r.leadUnitId, ...r.districtIds],
});
const SUBJECT_FIELDS = { id: true, workflowId: true, title: true, leadUnitId: true, districtIds: true } as const;

export const rolloutFamily: Family = {
  family: 'rollout',
  workflowType: 'rolloutWorkflow',
  title: '创新改革经验推广流程',
  rule: '第十四条',
  signals: CALENDAR_SIGNALS,
  updates: {
    submitLeadPlan: { label: '报送实施方案' },
    approveLeadPlan: { label: '市分管领导审定实施方案' },
    recordMeeting: { label: '登记部署会', describe: (a) => a?.districtId ?? a?.heldAt },
    submitDistrictPlan: { label: '区县报送实施意见和实施方案', describe: (a) => a?.districtId },
    approveDistrictPlan: { label: '区县改革办主任审定', describe: (a) => a?.districtId },
    reportTownships: { label: '报送推广镇办', describe: (a) => a?.townshipIds?.join('、') },
    recordProblems: { label: '登记问题' },
    submitRectification: { label: '报送整改方案' },
    submitAcceptanceReport: { label: '报送验收报告', describe: (a) => a?.unitId },
    submitSummary: { label: '验收总结（逐单位验收结论）', describe: (a) => a?.title },
  },
  activities: {
    recordChange: { label: '记录推广进度与待办义务', rule: '第十四条' },
    sendRolloutNotice: { label: '发送通知', describe: (a) => a?.kind && (NOTICE_KINDS[a.kind] ?? a.kind) },
  },
  states: { RUNNING: '推广中', ACCEPTED: '已验收' },
  noticeKinds: NOTICE_KINDS,
  warningWindow: (policy) => policy.innovation.rollout.warningWindow,
  async subjects(db, workflowIds) {
    return (await db.innovationRollout.findMany({ where: { workflowId: { in: workflowIds } }, select: SUBJECT_FIELDS })).map(subject);
  },
  async workflowIdOf(db, key) {
    return (await db.innovationRollout.findUnique({ where: { id: key }, select: { workflowId: true } }))?.workflowId;
  },
};
