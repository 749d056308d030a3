// The standing duties (第十五条(一)(二), 第十七条(二)) in the administrators'
// views: their labels, their notices and their subject, the year.
import { CALENDAR_SIGNALS, type Family, type Subject } from './family';
import { PHASE_LABELS } from '../../workflows/standingDuties/state';

const NOTICE_KINDS: Record<string, string> = {
  WEEK_CHASE: '惠民生稿件催办单',
  BROCHURE_REMINDER: '宣传册发放提示',
  BROCHURE_CHASE: '宣传册发放催办单',
  TRAINING_REMINDER: '高校培训班提示',
  TRAINING_CHASE: '高校培训班催办单',
};

const subject = (y: { id: string; workflowId: string }): Subject => ({
  type: 'duties',
  id: y.id,
  workflowId: y.workflowId,
  title: `${y.id}年度常态化工作`,
  reference: y.id,
  unitIds: [],
});

export const dutiesFamily: Family = {
  family: 'duties',
  workflowType: 'standingDutiesWorkflow',
  title: '常态化工作年度流程',
  rule: '第十五条、第十七条',
  updates: {
    reportDutyPieces: { label: '报送惠民生稿件刊播情况', rule: '第十五条（一）', describe: (a) => a?.pieces && `${a.pieces.length}篇` },
    distributeDutyBrochure: { label: '登记宣传册发放', rule: '第十五条（二）', describe: (a) => a?.copies && `${a.copies}册` },
    planDutyTraining: { label: '登记高校专题培训班计划', rule: '第十七条（二）', describe: (a) => a?.university },
    holdDutyTraining: { label: '登记高校专题培训班举办', rule: '第十七条（二）' },
    recordDutyTraining: { label: '登记专题培训', rule: '第十七条（二）', describe: (a) => a?.title },
  },
  signals: { ...CALENDAR_SIGNALS },
  activities: {
    recordChange: { label: '记录常态化工作情况与待办义务' },
    sendDutiesNotice: { label: '发送通知', describe: (a) => a?.kind && (NOTICE_KINDS[a.kind] ?? a.kind) },
    dutiesExperiences: { label: '读取本年度评选确定的创新改革经验' },
  },
  states: PHASE_LABELS,
  noticeKinds: NOTICE_KINDS,
  warningWindow: (policy) => policy.duties.warningWindow,
  async subjects(db, workflowIds) {
    return (await db.dutiesYear.findMany({ where: { workflowId: { in: workflowIds } }, select: { id: true, workflowId: true } })).map(subject);
  },
  async workflowIdOf(db, key) {
    return (await db.dutiesYear.findUnique({ where: { id: key }, select: { workflowId: true } }))?.workflowId;
  },
};
