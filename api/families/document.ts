// The document lifecycle (第四条, 第五条) in the administrators' views: its
// labels, its instruments (三单一书) and its subject, the superior document.
import { STATE_LABELS, STEP_LABELS } from '../../workflows/document/state';
import { CALENDAR_SIGNALS, type Family, type Subject } from './family';

const note = (a: { note?: string } | undefined) => (a?.note ? `附言：${a.note}` : undefined);
const review = (a: { approved?: boolean; note?: string } | undefined) =>
  [a?.approved === false ? '结果：不通过，退回起草' : '结果：通过', note(a)].filter(Boolean).join('；');

const NOTICE_KINDS: Record<string, string> = {
  PROMPT: '提示单',
  ASSIGNMENT: '交办单',
  CHASE: '催办单',
  ORDER: '责令书',
  REMINDER: '到期提醒',
  ORDER_FOLLOW_UP: '责令书跟踪督办',
  LEDGER_DISPATCH: '台账调度',
  MANUAL_CHASE: '人工催办单',
  LEAD_REQUEST: '待确定牵头部门',
  LEAD_CHASE: '催办确定牵头部门',
  LEDGER_CHASE: '催办建立台账',
  DISTRIBUTION: '配套文件印发通知',
  DISTRIBUTION_CHASE: '催办签收配套文件',
  ESCALATION: '升级督办',
};

const subject = (d: { id: string; workflowId: string; title: string; docNumber: string; leadUnitId: string | null; participantUnitIds: string[] }): Subject => ({
  type: 'document',
  id: d.id,
  workflowId: d.workflowId,
  title: d.title,
  reference: d.docNumber,
  unitIds: [...(d.leadUnitId ? [d.leadUnitId] : []), ...d.participantUnitIds],
});
const SUBJECT_FIELDS = { id: true, workflowId: true, title: true, docNumber: true, leadUnitId: true, participantUnitIds: true } as const;

export const documentFamily: Family = {
  family: 'document',
  workflowType: 'documentWorkflow',
  title: '上级改革文件办理流程',
  rule: '第五条',
  updates: {
    assignLead: { label: STEP_LABELS.assignLead, rule: '第五条', describe: (a) => a?.leadUnitId && `牵头部门：${a.leadUnitId}` },
    acknowledgeDistribution: { label: '区县签收市级配套文件', rule: '第五条', describe: (a) => a?.districtId && `区县：${a.districtId}` },
    acknowledge: { label: STEP_LABELS.acknowledge, rule: '第五条', describe: note },
    openLedger: {
      label: STEP_LABELS.openLedger,
      rule: '第四条',
      describe: (a) => `台账任务 ${a?.tasks?.length ?? 0} 项，时间节点 ${a?.timeline?.length ?? 0} 个`,
    },
    submitDraft: { label: STEP_LABELS.submitDraft, rule: '第五条', describe: note },
    legalReview: { label: STEP_LABELS.legalReview, rule: '第五条', describe: review },
    executiveMeeting: { label: STEP_LABELS.executiveMeeting, rule: '第五条', describe: review },
    adoption: { label: STEP_LABELS.adoption, rule: '第四条', describe: review },
    issuance: {
      label: STEP_LABELS.issuance,
      rule: '第五条',
      describe: (a) => a && `配套文件《${a.municipalTitle}》（${a.municipalDocNumber}），印发到 ${a.districtIds?.length ?? 0} 个区县`,
    },
    exemption: { label: STEP_LABELS.exemption, rule: '第五条', describe: (a) => a?.reason && `理由：${a.reason}` },
    addLedgerTask: { label: '添加台账任务', rule: '第五条', describe: (a) => a?.title && `任务：${a.title}` },
    ledgerProgress: { label: '报送台账任务进展', rule: '第五条', describe: note },
    closeLedgerTask: { label: '台账任务销号', rule: '第五条', describe: note },
    reassign: { label: '调整责任人', rule: '第五条', describe: note },
    manualChase: { label: '人工催办', rule: '第五条', describe: (a) => [a?.obligation && `事项：${a.obligation}`, note(a)].filter(Boolean).join('；') },
  },
  signals: {
    ...CALENDAR_SIGNALS,
    linked: { label: '省级贯彻文件已到市，与中央文件关联', rule: '第五条', describe: (a) => a?.docNumber && `省级文件：${a.docNumber}` },
  },
  activities: {
    recordChange: { label: '记录办理状态与待办义务', rule: '第五条' },
    sendDocumentNotice: { label: '发送督办通知', rule: '第五条', describe: (a) => a?.kind && (NOTICE_KINDS[a.kind] ?? a.kind) },
    recordArrival: { label: '记录来文办理状态并发送首份通知', rule: '第五条', describe: (a) => a?.notice?.kind && (NOTICE_KINDS[a.notice.kind] ?? a.notice.kind) },
  },
  states: STATE_LABELS,
  noticeKinds: NOTICE_KINDS,
  warningWindow: (policy) => policy.document.warningWindow,
  async subjects(db, workflowIds) {
    return (await db.document.findMany({ where: { workflowId: { in: workflowIds } }, select: SUBJECT_FIELDS })).map(subject);
  },
  async workflowIdOf(db, key) {
    return (await db.document.findFirst({ where: { OR: [{ docNumber: key }, { id: key }] }, select: { workflowId: true } }))?.workflowId;
  },
  // A document's story may span two workflows: a CENTRAL document is prompted (提示单), then its
  // PROVINCIAL document carries the assignment, chase and order (第五条).
  relatedLabel: '关联文件',
  async related(db, s) {
    const doc = await db.document.findUnique({ where: { id: s.id }, select: { docNumber: true, linkedDocNumber: true } });
    if (!doc) return [];
    const partners = await db.document.findMany({
      where: { workflowId: { not: s.workflowId }, OR: [...(doc.linkedDocNumber ? [{ docNumber: doc.linkedDocNumber }] : []), { linkedDocNumber: doc.docNumber }] },
      take: 5,
      select: { workflowId: true, docNumber: true, title: true },
    });
    return partners.map((p) => ({ workflowId: p.workflowId, reference: p.docNumber, title: p.title }));
  },
};
