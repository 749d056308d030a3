// Seeking pilots (第十一条(一)–(四)) in the administrators' views: their labels,
// their notices and their subject, the quarter.
import { CALENDAR_SIGNALS, type Family, type Subject } from './family';
import { PHASE_LABELS } from '../../workflows/pilotSeeking/state';

const NOTICE_KINDS: Record<string, string> = {
  LEADS: '试点线索交办单',
  REMINDER: '到期提醒',
  CHASE: '催办单',
  BULLETIN: '季度通报简报',
};

const subject = (q: { id: string; workflowId: string }): Subject => ({
  type: 'pilotSeeking',
  id: q.id,
  workflowId: q.workflowId,
  title: `${q.id.replace('-Q', '年第')}季度争取试点`,
  reference: q.id,
  // Every district and department takes part: the workflow's DubanUnits says who.
  unitIds: [],
});

export const pilotSeekingFamily: Family = {
  family: 'pilotSeeking',
  workflowType: 'pilotSeekingWorkflow',
  title: '争取试点季度流程',
  rule: '第十一条',
  updates: {
    issueSeekingLeads: { label: '交办试点线索', rule: '第十一条（二）', describe: (a) => a?.leads && `${a.leads.length}条` },
    reportSeekingContact: { label: '报送对接争取情况', rule: '第十一条（一）', describe: (a) => a?.month && `第${a.month}个月` },
    addSeekingRow: { label: '争取台账新增试点', rule: '第十一条（三）', describe: (a) => a?.title },
    updateSeekingRow: { label: '更新争取台账', rule: '第十一条（三）', describe: (a) => a?.rowId && `${a.rowId}${a.outcome === 'WON' ? '（争取成功）' : a.outcome === 'DROPPED' ? '（放弃）' : ''}` },
    issueSeekingBulletin: { label: '印发季度通报', rule: '第十一条（四）' },
  },
  signals: {
    ...CALENDAR_SIGNALS,
    seekingRowsHandedOver: { label: '上季度在争取的试点转入本季度台账', rule: '第十一条（三）', describe: (a) => a?.from && `自${a.from}转入${a.rows?.length ?? 0}项` },
  },
  activities: {
    recordChange: { label: '记录争取试点情况与待办义务' },
    sendSeekingNotice: { label: '发送通知', describe: (a) => a?.kind && (NOTICE_KINDS[a.kind] ?? a.kind) },
    pilotSeekingSetup: { label: '确定参与单位，接续未销号的争取台账' },
  },
  states: PHASE_LABELS,
  noticeKinds: NOTICE_KINDS,
  warningWindow: (policy) => policy.pilotSeeking.warningWindow,
  async subjects(db, workflowIds) {
    return (await db.pilotSeekingQuarter.findMany({ where: { workflowId: { in: workflowIds } }, select: { id: true, workflowId: true } })).map(subject);
  },
  async workflowIdOf(db, key) {
    return (await db.pilotSeekingQuarter.findUnique({ where: { id: key }, select: { workflowId: true } }))?.workflowId;
  },
};
