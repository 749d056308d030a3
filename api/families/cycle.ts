// The monthly 六个一 cycle (第六条–第八条, 第十条) in the administrators' views:
// its labels, its notices and its subject, the month.
import { PHASE_LABELS } from '../../workflows/cycle/state';
import { CALENDAR_SIGNALS, type Family, type Subject } from './family';

const NOTICE_KINDS: Record<string, string> = {
  DISPATCH: '月度调度通知',
  REPORT_REMINDER: '调度报送提醒',
  REPORT_CHASE: '调度催报',
  INSPECTION: '督查通知',
  ISSUE_LIST: '问题清单',
  TEAM_RATING_CALL: '季度测评通知',
  BRIEFING: '督导情况通报',
  MEETING: '通报会通知',
  PROMOTION_MEETING: '现场推进会通知',
  PUBLICITY: '宣传推介函',
  DIAGNOSIS_VISIT: '会诊通知',
  DIAGNOSIS_CHASE: '会诊报告催报',
  DIAGNOSIS_REPORT: '会诊报告',
};

const subject = (c: { id: string; workflowId: string; year: number; month: number; targetUnitIds: string[] }): Subject => ({
  type: 'cycle',
  id: c.id,
  workflowId: c.workflowId,
  title: `${c.year}年${c.month}月“六个一”督导`,
  reference: c.id,
  unitIds: c.targetUnitIds,
});
const SUBJECT_FIELDS = { id: true, workflowId: true, year: true, month: true, targetUnitIds: true } as const;

export const cycleFamily: Family = {
  family: 'cycle',
  workflowType: 'cycleWorkflow',
  title: '“六个一”月度督导流程',
  rule: '第六条',
  signals: CALENDAR_SIGNALS,
  updates: {
    submitReport: { label: '报送月度调度情况', rule: '第六条（一）', describe: (a) => a?.unitId },
    createInspection: {
      label: '登记督查及问题清单',
      rule: '第六条（二）、第八条、第十条（三）',
      describe: (a) => (a ? `${a.teamName}：${a.unitId}，问题${a.issues?.length ?? 0}项${a.opinions?.length ? `，基层意见建议${a.opinions.length}条` : ''}` : undefined),
    },
    signInspection: { label: '问题清单签字确认', rule: '第六条（二）', describe: (a) => (a ? (a.party === 'UNIT' ? '被督查单位' : '督查组负责人') : undefined) },
    enterScore: { label: '评分', rule: '第六条（三）', describe: (a) => (a ? `${a.unitId} ${a.indicatorCode} ${a.value}分${a.override ? `（调整：${a.reason}）` : ''}` : undefined) },
    rateTeam: { label: '季度对督查组打分', rule: '第六条（三）', describe: (a) => a?.teamName },
    closeScoring: { label: '发布排名', rule: '第六条（三）' },
    recordPromotionMeeting: { label: '安排现场推进会', rule: '第六条（四）', describe: (a) => (a ? `${a.districtId}，参会单位${a.attendeeUnitIds?.length ?? 0}个` : undefined) },
    recommendUpward: { label: '向上推介改革工作亮点', rule: '第六条（五）', describe: (a) => (a ? `${a.channel}报${a.recipient}` : undefined) },
    fileDiagnosis: { label: '提交会诊报告', rule: '第六条（六）', describe: (a) => a?.unitId },
    cycleReady: { label: '确认本月督导已启动' },
  },
  activities: {
    sendCycleNotice: { label: '发送通知', describe: (a) => a?.kind && (NOTICE_KINDS[a.kind] ?? a.kind) },
    recordChange: { label: '记录督导状态、排名、通报与待办义务', rule: '第六条' },
    evaluationsToAnnounce: { label: '读取待通报的年度评估结果', rule: '第十四条（三）' },
  },
  states: PHASE_LABELS,
  noticeKinds: NOTICE_KINDS,
  warningWindow: (policy) => policy.cycle.warningWindow,
  async subjects(db, workflowIds) {
    return (await db.cycle.findMany({ where: { workflowId: { in: workflowIds } }, select: SUBJECT_FIELDS })).map(subject);
  },
  async workflowIdOf(db, key) {
    return (await db.cycle.findUnique({ where: { id: key }, select: { workflowId: true } }))?.workflowId;
  },
};
