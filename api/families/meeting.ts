// The meeting family (第三条 第一议题, 第四条(一)) in the administrators' views:
// its labels, notices and subject, the superior leading-group meeting.
import { formatShanghai } from '../../common/policy/duration';
import { KIND_LABELS, STATE_LABELS, type MeetingKind } from '../../workflows/meeting/state';
import { CALENDAR_SIGNALS, type Family, type Subject } from './family';

const NOTICE_KINDS: Record<string, string> = {
  CONVEY: '传达学习通知',
  REMINDER: '到期提醒',
  CHASE: '催办单',
  FIRST_ITEM_MISSED: '第一议题提示',
};

const SUBJECT_FIELDS = { id: true, workflowId: true, title: true, heldAt: true, unitIds: true } as const;
const subject = (m: { id: string; workflowId: string; title: string; heldAt: Date; unitIds: string[] }): Subject => ({
  type: 'meeting',
  id: m.id,
  workflowId: m.workflowId,
  title: m.title,
  reference: `${m.title}（${formatShanghai(m.heldAt)}）`,
  unitIds: m.unitIds,
});

export const meetingFamily: Family = {
  family: 'meeting',
  workflowType: 'meetingWorkflow',
  title: '上级深改领导小组会议传达学习督办',
  rule: '第四条',
  updates: {
    recordMeeting: {
      label: '登记改革会议及第一议题',
      rule: '第三条',
      describe: (a) => a && `${KIND_LABELS[a.kind as MeetingKind] ?? a.kind}：${a.title}；第一议题：${a.firstItem}`,
    },
    meetingReady: { label: '确认流程已启动', rule: '第四条' },
  },
  signals: {
    ...CALENDAR_SIGNALS,
    superseded: { label: '已登记更新的上级会议', rule: '第三条', describe: (a) => a?.title && `更新的会议：${a.title}` },
  },
  activities: {
    recordChange: { label: '记录传达学习情况与待办义务', rule: '第四条' },
    sendMeetingNotice: { label: '发送督办通知', rule: '第四条', describe: (a) => a?.kind && (NOTICE_KINDS[a.kind] ?? a.kind) },
  },
  states: STATE_LABELS,
  noticeKinds: NOTICE_KINDS,
  warningWindow: (policy) => policy.meeting.warningWindow,
  async subjects(db, workflowIds) {
    return (await db.superiorMeeting.findMany({ where: { workflowId: { in: workflowIds } }, select: SUBJECT_FIELDS })).map(subject);
  },
  async workflowIdOf(db, key) {
    return (await db.superiorMeeting.findFirst({ where: { OR: [{ id: key }, { workflowId: key }] }, select: { workflowId: true } }))?.workflowId;
  },
};
