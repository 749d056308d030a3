// The semiannual innovation-experience selection (第十四条) in the
// administrators' views: its labels, its notices and its subject, the half year.
import { halfLabel, PHASE_LABELS, type SelectionPhase } from '../../workflows/innovation/state';
import { CALENDAR_SIGNALS, type Family, type Subject } from './family';

const NOTICE_KINDS: Record<string, string> = {
  CALL: '征集通知',
  VOTE_OPEN: '投票通知',
  REMINDER: '到期提醒',
  OPINION_REQUEST: '征求意见函',
  APPROVAL_REQUEST: '审核报送提示',
  LEADERS_REQUEST: '报市主要领导请示',
  RETURNED: '退回修改通知',
  CHASE: '催办单',
  RESULT: '推广名单公布',
};

const subject = (s: { id: string; workflowId: string }): Subject => ({
  type: 'selection',
  id: s.id,
  workflowId: s.workflowId,
  title: `${halfLabel(s.id)}创新改革经验评选`,
  reference: s.id,
  // Every district and special group takes part: the workflow's own units say who.
  unitIds: [],
});

export const selectionFamily: Family = {
  family: 'selection',
  workflowType: 'selectionWorkflow',
  title: '创新改革经验评选流程',
  rule: '第十四条',
  signals: CALENDAR_SIGNALS,
  updates: {
    submitCandidate: { label: '申报候选经验', describe: (a) => a?.title },
    recordOpinion: { label: '提出意见', describe: (a) => (a ? `${a.agree ? '同意' : '不同意'}${a.comment ? `：${a.comment}` : ''}` : undefined) },
    closeRound: { label: '结束当前轮次', describe: (a) => (a ? PHASE_LABELS[a.phase as SelectionPhase] : undefined) },
    approveSelection: { label: '主任审核推广名单并报市主要领导', describe: (a) => a?.opinionTitle },
    agreeSelection: { label: '市主要领导审示推广名单', describe: (a) => (a ? `${a.agree ? '同意' : '退回'}${a.comment ? `：${a.comment}` : ''}` : undefined) },
    ballotCast: { label: '单位已投票', describe: (a) => a?.unitId },
    selectionReady: { label: '确认评选已启动' },
  },
  activities: {
    recordChange: { label: '记录评选阶段、候选经验与待办义务', rule: '第十四条' },
    closeSelectionRound: { label: '计票' },
    selectionParticipants: { label: '确定投票单位、审核人和市主要领导' },
    sendSelectionNotice: { label: '发送通知', describe: (a) => a?.kind && (NOTICE_KINDS[a.kind] ?? a.kind) },
  },
  states: PHASE_LABELS,
  noticeKinds: NOTICE_KINDS,
  // The innovation policy keeps one warning window, under its rollout section.
  warningWindow: (policy) => policy.innovation.rollout.warningWindow,
  async subjects(db, workflowIds) {
    return (await db.innovationSelection.findMany({ where: { workflowId: { in: workflowIds } }, select: { id: true, workflowId: true } })).map(subject);
  },
  async workflowIdOf(db, key) {
    return (await db.innovationSelection.findUnique({ where: { id: key }, select: { workflowId: true } }))?.workflowId;
  },
};
