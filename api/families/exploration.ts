// The yearly innovation items (第十二条) in the administrators' views: their
// labels, their notices and their subject, the year.
import { CALENDAR_SIGNALS, type Family, type Subject } from './family';

const NOTICE_KINDS: Record<string, string> = {
  CALL: '提报通知',
  CALL_REMINDER: '提报提醒',
  REVIEW_REQUEST: '初审通知',
  OFFICE_REVIEW_REQUEST: '复审通知',
  APPROVAL_REQUEST: '审定请示',
  BULLETIN: '审定结果简报',
  REPORT_REQUEST: '月度汇总通知',
  COMMENT: '月度点评',
  ADJUSTMENT: '事项调整',
  REMINDER: '到期提醒',
  CHASE: '催办单',
};

const subject = (y: { id: string; workflowId: string }): Subject => ({
  type: 'exploration',
  id: y.id,
  workflowId: y.workflowId,
  title: `${y.id}年度探索创新改革事项`,
  reference: y.id,
  // Every district and department takes part: the workflow's DubanUnits says who.
  unitIds: [],
});

export const explorationFamily: Family = {
  family: 'exploration',
  workflowType: 'explorationWorkflow',
  title: '探索创新改革事项流程',
  rule: '第十二条',
  updates: {
    submitItem: { label: '提报探索创新改革事项', describe: (a) => a?.title },
    groupReview: { label: '市专项小组初审（组长签字）', describe: (a) => a?.groupId },
    officeReview: { label: '市委改革办复审' },
    approveItems: { label: '市委改革办主任审定' },
    reportProgress: { label: '报送月度进展', describe: (a) => a?.round && `第${a.round}次` },
    commentRound: { label: '月度点评', describe: (a) => a?.round && `第${a.round}次` },
    adjustItems: { label: '调整补充事项', describe: (a) => a?.reason },
    closePhase: { label: '提前截止', describe: (a) => a?.phase },
  },
  signals: CALENDAR_SIGNALS,
  activities: {
    recordChange: { label: '记录事项台账与待办义务' },
    sendExplorationNotice: { label: '发送通知', describe: (a) => a?.kind && (NOTICE_KINDS[a.kind] ?? a.kind) },
    explorationSetup: { label: '确定提报单位和专项小组' },
  },
  states: { CALL: '提报', GROUP_REVIEW: '专项小组初审', OFFICE_REVIEW: '市委改革办复审', APPROVAL: '主任审定', TRACKING: '追踪实施', CLOSED: '已结束' },
  noticeKinds: NOTICE_KINDS,
  warningWindow: (policy) => policy.exploration.warningWindow,
  async subjects(db, workflowIds) {
    return (await db.explorationYear.findMany({ where: { workflowId: { in: workflowIds } }, select: { id: true, workflowId: true } })).map(subject);
  },
  async workflowIdOf(db, key) {
    return (await db.explorationYear.findUnique({ where: { id: key }, select: { workflowId: true } }))?.workflowId;
  },
};
