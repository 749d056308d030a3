// Chinese labels for the administrator's timeline, keyed by workflow type and
// by update, signal and activity name. Each workflow family registers its own
// entries (registerTimelineLabels) so the timeline code itself stays generic;
// anything unregistered still shows, under a plain generic label.
import { STATE_LABELS, STEP_LABELS } from '../../workflows/document/state';

export interface TimelineLabel {
  /** What happened, in Chinese, e.g. "报送上会文件初稿". */
  label: string;
  /** The rule behind it, 第N条. Falls back to the family's rule. */
  rule?: string;
  /** A short Chinese detail from the decoded first argument (update/signal/activity input). */
  describe?: (arg: any) => string | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface FamilyLabels {
  /** The family key as in the DubanFamily search attribute and Obligation.family. */
  family: string;
  /** Chinese name of one workflow of this family, e.g. "上级改革文件办理流程". */
  title: string;
  /** The family's default rule, cited where an event has no more specific one. */
  rule: string;
  updates?: Record<string, TimelineLabel>;
  signals?: Record<string, TimelineLabel>;
  activities?: Record<string, TimelineLabel>;
  /** Labels of the DubanState values, for "状态变为…" entries. */
  states?: Record<string, string>;
}

const byWorkflowType = new Map<string, FamilyLabels>();
const byFamily = new Map<string, FamilyLabels>();

/** Called once per family at module load, next to the family's other API registrations. */
export function registerTimelineLabels(workflowType: string, labels: FamilyLabels): void {
  byWorkflowType.set(workflowType, labels);
  byFamily.set(labels.family, labels);
}

export function labelsFor(workflowType: string | undefined, family?: string): FamilyLabels | undefined {
  return (workflowType ? byWorkflowType.get(workflowType) : undefined) ?? (family ? byFamily.get(family) : undefined);
}

/** Every registered family key (for validating search filters and the OpenAPI enum). */
export function registeredFamilies(): string[] {
  return [...byFamily.keys()];
}

/** Notice kinds → Chinese instrument names (三单一书 and the rest), shared by all families. */
export const NOTICE_KIND_LABELS: Record<string, string> = {
  PROMPT: '提示单',
  ASSIGNMENT: '交办单',
  CHASE: '催办单',
  ORDER: '责令书',
  REMINDER: '到期提醒',
  ORDER_FOLLOW_UP: '责令书跟踪督办',
  LEDGER_DISPATCH: '台账调度',
  MANUAL_CHASE: '人工催办单',
  ESCALATION: '升级督办',
};

// ---- the document lifecycle (第四条, 第五条) ---------------------------------

const note = (a: { note?: string } | undefined) => (a?.note ? `附言：${a.note}` : undefined);
const review = (a: { approved?: boolean; note?: string } | undefined) =>
  [a?.approved === false ? '结果：不通过，退回起草' : '结果：通过', note(a)].filter(Boolean).join('；');

registerTimelineLabels('documentWorkflow', {
  family: 'document',
  title: '上级改革文件办理流程',
  rule: '第五条',
  updates: {
    acknowledge: { label: STEP_LABELS.acknowledge, rule: '第五条', describe: note },
    openLedger: {
      label: STEP_LABELS.openLedger,
      rule: '第五条',
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
    linked: { label: '省级贯彻文件已到市，与中央文件关联', rule: '第五条', describe: (a) => a?.docNumber && `省级文件：${a.docNumber}` },
  },
  activities: {
    recordChange: { label: '记录办理状态与待办义务', rule: '第五条' },
    sendDocumentNotice: {
      label: '发送督办通知',
      rule: '第五条',
      describe: (a) => a?.kind && `${NOTICE_KIND_LABELS[a.kind] ?? a.kind}`,
    },
  },
  states: STATE_LABELS,
});
