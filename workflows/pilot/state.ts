// A pilot's life as a pure state machine (第十一条 (五)–(七), 第十三条): which step
// may follow which. Shared by the workflow's update validators and unit tests.
//
// A pilot won from above (origin WON) runs under its ledger, is dispatched
// monthly, asks for acceptance when done, is accepted by the reform office and
// reported upward. A mature grassroots experience (origin EXPERIENCE) waits
// for the reform office to report it upward, to be made a pilot (第十三条).

export type PilotOrigin = 'WON' | 'EXPERIENCE';
/** Who the pilot was won from, or (for an upward report) who is told. */
export type PilotLevel = 'CENTRAL' | 'PROVINCIAL';

export type PilotState =
  | 'PROPOSED' // EXPERIENCE: awaiting the upward report
  | 'RUNNING' // WON: under way, dispatched monthly
  | 'ACCEPTANCE_REQUESTED' // the lead unit says it is complete
  | 'ACCEPTED' // the reform office accepted it; the upward report is due
  | 'REPORTED'; // reported upward (terminal)

export type PilotStep = 'reportProgress' | 'revisePlan' | 'requestAcceptance' | 'acceptance' | 'reportUpward';

const FROM: Record<PilotStep, readonly PilotState[]> = {
  reportProgress: ['RUNNING'],
  revisePlan: ['RUNNING'],
  requestAcceptance: ['RUNNING'],
  acceptance: ['ACCEPTANCE_REQUESTED'],
  reportUpward: ['PROPOSED', 'ACCEPTED'],
};

export const STATE_LABELS: Record<PilotState, string> = {
  PROPOSED: '基层经验待上报',
  RUNNING: '试点推进中',
  ACCEPTANCE_REQUESTED: '已申请验收',
  ACCEPTED: '已通过验收',
  REPORTED: '已上报推广',
};

export const STEP_LABELS: Record<PilotStep, string> = {
  reportProgress: '报送试点进展',
  revisePlan: '调整试点方案',
  requestAcceptance: '申请验收',
  acceptance: '组织验收',
  reportUpward: '上报推广',
};

export const LEVEL_LABELS: Record<PilotLevel, string> = { CENTRAL: '中央改革办', PROVINCIAL: '省委改革办' };

export const TERMINAL: ReadonlySet<PilotState> = new Set(['REPORTED']);

/** Why `step` is impossible in `state`, or undefined when it is allowed. */
export function refusal(state: PilotState, step: PilotStep): string | undefined {
  if (TERMINAL.has(state)) return `试点已上报推广，不能再${STEP_LABELS[step]}`;
  if (!FROM[step].includes(state)) {
    return `当前状态为“${STATE_LABELS[state]}”，不能${STEP_LABELS[step]}（需处于“${FROM[step].map((s) => STATE_LABELS[s]).join('”或“')}”）`;
  }
  return undefined;
}

/** Where a step leads; a failed acceptance returns the pilot to work. */
export function nextState(state: PilotState, step: PilotStep, approved = true): PilotState {
  switch (step) {
    case 'reportProgress':
    case 'revisePlan':
      return state;
    case 'requestAcceptance':
      return 'ACCEPTANCE_REQUESTED';
    case 'acceptance':
      return approved ? 'ACCEPTED' : 'RUNNING';
    case 'reportUpward':
      return 'REPORTED';
  }
}

/**
 * 第十三条: an experience that applies city-wide is reported directly to both the
 * central and the provincial reform office; any report names at least one.
 */
export function upwardRefusal(to: readonly PilotLevel[], cityWide: boolean): string | undefined {
  if (to.length === 0) return '请至少选择一个上报对象（中央改革办或省委改革办）';
  if (cityWide && !(to.includes('CENTRAL') && to.includes('PROVINCIAL'))) return '在全市推广的经验须直接向中央改革办和省委改革办报告（第十三条）';
  return undefined;
}
