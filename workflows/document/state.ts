// The document lifecycle as a pure state machine (第四条, 第五条): which step
// may follow which. Shared by the workflow's update validators and unit tests.

export type DocumentLevel = 'CENTRAL' | 'PROVINCIAL';

export type DocumentState =
  | 'PROMPTED' // CENTRAL: 提示单 sent, waiting for the provincial document
  | 'LINKED' // CENTRAL: its provincial document arrived and carries the assignment
  | 'AWAITING_LEAD' // PROVINCIAL without a lead unit: the reform office names one, then the 交办单
  | 'ASSIGNED' // PROVINCIAL: 交办单 sent
  | 'ACKNOWLEDGED' // 签收
  | 'DRAFTING' // 台账 opened, drafting (also after a returned draft)
  | 'DRAFT_SUBMITTED' // 上会文件初稿 submitted
  | 'LEGAL_REVIEWED' // 合法性审查 passed
  | 'EXECUTIVE_PASSED' // 政府常务会议 passed
  | 'ADOPTED' // 市委深改组 adopted
  | 'ISSUED' // 印发到区县; ledger tasks being followed
  | 'COMPLETED' // every ledger task closed (销号)
  | 'EXEMPT'; // 无须市级配套

export type DocumentStep =
  | 'assignLead'
  | 'acknowledge'
  | 'openLedger'
  | 'submitDraft'
  | 'legalReview'
  | 'executiveMeeting'
  | 'adoption'
  | 'issuance'
  | 'exemption';

/** The state each step requires, and where it leads when approved. */
const transitions: Record<Exclude<DocumentStep, 'exemption'>, { from: DocumentState; to: DocumentState }> = {
  assignLead: { from: 'AWAITING_LEAD', to: 'ASSIGNED' },
  acknowledge: { from: 'ASSIGNED', to: 'ACKNOWLEDGED' },
  openLedger: { from: 'ACKNOWLEDGED', to: 'DRAFTING' },
  submitDraft: { from: 'DRAFTING', to: 'DRAFT_SUBMITTED' },
  legalReview: { from: 'DRAFT_SUBMITTED', to: 'LEGAL_REVIEWED' },
  executiveMeeting: { from: 'LEGAL_REVIEWED', to: 'EXECUTIVE_PASSED' },
  adoption: { from: 'EXECUTIVE_PASSED', to: 'ADOPTED' },
  issuance: { from: 'ADOPTED', to: 'ISSUED' },
};

/** Chinese names for refusals and timelines. */
export const STATE_LABELS: Record<DocumentState, string> = {
  PROMPTED: '已发提示单',
  LINKED: '已与省级文件关联',
  AWAITING_LEAD: '待确定牵头部门',
  ASSIGNED: '已交办',
  ACKNOWLEDGED: '已签收',
  DRAFTING: '起草中',
  DRAFT_SUBMITTED: '已报送上会文件初稿',
  LEGAL_REVIEWED: '已通过合法性审查',
  EXECUTIVE_PASSED: '已通过政府常务会议',
  ADOPTED: '已经市委深改组审议通过',
  ISSUED: '已印发到区县',
  COMPLETED: '已全部销号',
  EXEMPT: '无须市级配套',
};

export const STEP_LABELS: Record<DocumentStep, string> = {
  assignLead: '确定牵头部门',
  acknowledge: '签收',
  openLedger: '建立台账',
  submitDraft: '报送上会文件初稿',
  legalReview: '合法性审查',
  executiveMeeting: '政府常务会议',
  adoption: '市委深改组审议',
  issuance: '印发到区县',
  exemption: '认定无须市级配套',
};

export const TERMINAL: ReadonlySet<DocumentState> = new Set(['LINKED', 'COMPLETED', 'EXEMPT']);

/**
 * Why `step` is impossible in `state`, or undefined when it is allowed.
 * `approved=false` on a review step returns the draft to drafting.
 */
export function refusal(state: DocumentState, step: DocumentStep): string | undefined {
  if (TERMINAL.has(state)) return `文件已办结（${STATE_LABELS[state]}），不能再${STEP_LABELS[step]}`;
  if (step === 'exemption') {
    return state === 'ISSUED' ? '配套文件已印发，不能再认定无须市级配套' : undefined;
  }
  const t = transitions[step];
  if (state !== t.from) {
    return `当前状态为“${STATE_LABELS[state]}”，不能${STEP_LABELS[step]}（需处于“${STATE_LABELS[t.from]}”）`;
  }
  return undefined;
}

export function nextState(state: DocumentState, step: DocumentStep, approved = true): DocumentState {
  if (step === 'exemption') return 'EXEMPT';
  if (!approved) return 'DRAFTING';
  return transitions[step].to;
}

export function isReviewStep(step: DocumentStep): boolean {
  return step === 'legalReview' || step === 'executiveMeeting' || step === 'adoption';
}
