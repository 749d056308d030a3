// The timed duties of the innovation workflows (第十四条), as data. A rollout:
// reminders before and chases after each open duty's deadline (up to the
// policy's limit, the leaders copied after enough), and the monthly bulletin.
// A selection: reminders before each phase's deadline, the phase's close, the
// director chased after the review deadline, the main city leaders after
// theirs, the rollouts started once they agree. Pure:
// the workflows fire them (workflows/duties.ts).
import type { RolloutNoticeKind, SelectionNoticeKind } from '../../activities/innovationTexts';
import { addRepeated, describeDuration, subtractDuration } from '../../common/policy/duration';
import type { InnovationRolloutPolicy, InnovationSelectionPolicy } from '../../common/policy/innovation';
import type { Duty as Timed } from '../duties';
import type { RolloutCarried, SelectionCarried } from './messages';
import { leadersAnswer } from './obligations';
import type { SelectionPhase } from './state';

export interface RolloutTimed extends Timed {
  kind: Extract<RolloutNoticeKind, 'REMINDER' | 'CHASE' | 'BULLETIN'>;
  /** The board duty it is about (reminders and chases). */
  dutyName?: string;
  /** The chase count the duty reaches (shown on the board). */
  chase?: number;
  escalate?: boolean;
  /** The bulletin count it reaches. */
  bulletin?: number;
}

/** `p`: the rollout's (city) policy; `pOf`: the policy of the unit owing a duty (第二十一条), which times its reminders and chases. */
export function rolloutTimed(s: RolloutCarried, p: InnovationRolloutPolicy, pOf: (unitId: string) => InnovationRolloutPolicy = () => p): RolloutTimed[] {
  const out: RolloutTimed[] = [];
  if (s.state === 'ACCEPTED') return out;
  for (const d of s.duties) {
    if (d.doneAt) continue;
    const due = new Date(d.dueAt);
    const { remindBefore, maxChases, chaseEvery, escalateAfter } = pOf(d.unitId);
    remindBefore.forEach((before, i) => {
      const at = subtractDuration(due, before).getTime();
      if (at > new Date(d.startedAt).getTime()) out.push({ key: `${d.name}:reminder-${i}`, at, kind: 'REMINDER', dutyName: d.name });
    });
    // Chase at the deadline, then every chaseEvery, up to maxChases (policy); the board stays red after.
    const n = d.chases + 1;
    if (n <= maxChases) {
      const at = addRepeated(due, chaseEvery, n - 1);
      out.push({ key: `${d.name}:chase-${n}`, at: at.getTime(), kind: 'CHASE', dutyName: d.name, chase: n, escalate: n >= escalateAfter });
    }
  }
  // Tracking supervision: a bulletin of every district's progress (policy: monthly).
  const k = s.bulletins + 1;
  out.push({ key: `bulletin-${k}`, at: addRepeated(new Date(s.startedAt), p.bulletinEvery, k).getTime(), kind: 'BULLETIN', bulletin: k });
  return out;
}

/** The policy's window of each timed phase. */
export const PHASE_WINDOW: Partial<Record<SelectionPhase, 'callWindow' | 'mutualVoteWindow' | 'secondVoteWindow' | 'opinionWindow' | 'approvalWindow' | 'leadersWindow'>> = {
  CALL: 'callWindow',
  MUTUAL_VOTE: 'mutualVoteWindow',
  SECOND_VOTE: 'secondVoteWindow',
  OPINIONS: 'opinionWindow',
  APPROVAL: 'approvalWindow',
  LEADERS: 'leadersWindow',
};

/**
 * The key of a phase's reminders and chase: the review phases repeat when a
 * list is returned, each time with its own (the first keeps the phase's name).
 */
export function phaseRound(s: Pick<SelectionCarried, 'phase' | 'submissions'>): string {
  const n = s.submissions ?? 0;
  if (s.phase === 'APPROVAL' && n > 0) return `APPROVAL-${n + 1}`;
  if (s.phase === 'LEADERS' && n > 1) return `LEADERS-${n}`;
  return s.phase;
}

export interface SelectionTimed extends Timed {
  notice?: { kind: SelectionNoticeKind; offset: string };
  /** Close the current phase (deadline passed, closed early, or every opinion given). */
  close?: boolean;
  /** Every main city leader agreed: start the rollouts. */
  approve?: boolean;
}

/** `closeRequested`: the reform office asked to close the current phase. */
export function selectionTimed(s: SelectionCarried, p: InnovationSelectionPolicy, closeRequested: boolean): SelectionTimed[] {
  const phase = s.phase;
  const w = PHASE_WINDOW[phase];
  if (!w) return [];
  if (phase === 'LEADERS' && leadersAnswer(s) === 'AGREED') return [{ key: 'approve', at: 0, approve: true }];
  const round = phaseRound(s);
  const due = new Date(s.phaseDueAt).getTime();
  const out: SelectionTimed[] = [];
  const start = new Date(s.phaseStartedAt).getTime();
  p.remindBefore.forEach((before, i) => {
    const at = subtractDuration(new Date(due), before).getTime();
    if (at > start) out.push({ key: `${round}:reminder-${i}`, at, notice: { kind: 'REMINDER', offset: `${describeDuration(p[w])}（提前${describeDuration(before)}提醒）` } });
  });
  if (phase === 'APPROVAL' || phase === 'LEADERS') {
    out.push({ key: `${round}:chase`, at: due, notice: { kind: 'CHASE', offset: describeDuration(p[w]) } });
  } else {
    // Opinions close early once every finalist has both a leader's and its lead department's opinion.
    const early = closeRequested || (phase === 'OPINIONS' && opinionsComplete(s));
    out.push({ key: `close-${phase}`, at: early ? 0 : due, close: true });
  }
  return out;
}

export function opinionsComplete(s: SelectionCarried): boolean {
  return s.candidates
    .filter((c) => c.finalRank !== undefined)
    .every((c) => c.opinions.some((o) => o.role === 'LEADER') && c.opinions.some((o) => o.role === 'LEAD_DEPARTMENT'));
}
