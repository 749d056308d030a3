// Pilots (第十一条 (五)–(七)) and grassroots experiences reported upward (第十三条)
// in the administrators' views: labels, notice kinds and the subject, the pilot.
import { LEVEL_LABELS, STATE_LABELS, STEP_LABELS, type PilotLevel } from '../../workflows/pilot/state';
import { CALENDAR_SIGNALS, type Family, type Subject } from './family';

const note = (a: { note?: string } | undefined) => (a?.note ? `附言：${a.note}` : undefined);

const NOTICE_KINDS: Record<string, string> = {
  LEDGER: '试点立项通知',
  EXPERIENCE: '基层经验待上报',
  DISPATCH: '试点调度单',
  PROGRESS_CHASE: '催报单',
  REMINDER: '到期提醒',
  OVERDUE: '逾期督办',
  ACCEPTANCE_RESULT: '验收结果',
  UPWARD_REPORT: '上报推广',
};

const subject = (p: { id: string; workflowId: string; title: string; reference: string; leadUnitId: string; participantUnitIds: string[] }): Subject => ({
  type: 'pilot',
  id: p.id,
  workflowId: p.workflowId,
  title: p.title,
  reference: p.reference,
  unitIds: [p.leadUnitId, ...p.participantUnitIds],
});
const SUBJECT_FIELDS = { id: true, workflowId: true, title: true, reference: true, leadUnitId: true, participantUnitIds: true } as const;

export const pilotFamily: Family = {
  family: 'pilot',
  workflowType: 'pilotWorkflow',
  title: '改革试点督办流程',
  rule: '第十一条',
  updates: {
    reportPilotProgress: { label: STEP_LABELS.reportProgress, rule: '第十一条', describe: (a) => a?.note && `进展：${a.note}` },
    revisePilotPlan: { label: STEP_LABELS.revisePlan, rule: '第十一条', describe: (a) => [a?.dueAt && `新时限：${a.dueAt}`, note(a)].filter(Boolean).join('；') || undefined },
    requestPilotAcceptance: { label: STEP_LABELS.requestAcceptance, rule: '第十一条', describe: note },
    pilotAcceptance: { label: STEP_LABELS.acceptance, rule: '第十一条', describe: (a) => [a?.approved === false ? '结果：未通过，退回整改' : '结果：通过', note(a)].filter(Boolean).join('；') },
    reportPilotUpward: {
      label: STEP_LABELS.reportUpward,
      rule: '第十三条',
      describe: (a) => a?.to && `上报：${(a.to as PilotLevel[]).map((l) => LEVEL_LABELS[l] ?? l).join('、')}`,
    },
  },
  signals: CALENDAR_SIGNALS,
  activities: {
    recordChange: { label: '记录试点状态与待办义务', rule: '第十一条' },
    sendPilotNotice: { label: '发送试点督办通知', rule: '第十一条', describe: (a) => a?.kind && (NOTICE_KINDS[a.kind] ?? a.kind) },
  },
  states: STATE_LABELS,
  noticeKinds: NOTICE_KINDS,
  warningWindow: (policy) => policy.pilot.warningWindow,
  async subjects(db, workflowIds) {
    return (await db.pilot.findMany({ where: { workflowId: { in: workflowIds } }, select: SUBJECT_FIELDS })).map(subject);
  },
  async workflowIdOf(db, key) {
    return (await db.pilot.findFirst({ where: { OR: [{ reference: key }, { id: key }] }, select: { workflowId: true } }))?.workflowId;
  },
};
