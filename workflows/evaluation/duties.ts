// The annual evaluation's timed duties, as data: reminders before the plan's,
// the scores' and the report's deadlines, the chases at them, the close of
// scoring at its deadline, and a chase of each follow-up at its due date. Pure:
// the workflow fires them (workflows/duties.ts), the unit tests read them.
import type { EvaluationNoticeKind } from '../../activities/evaluationTexts';
import type { EvaluationPolicy } from '../../common/policy/evaluation';
import { describeDeadline } from '../../common/policy/calendar';
import { describeDuration, subtractDuration } from '../../common/policy/duration';
import type { Duty } from '../duties';
import type { EvaluationState } from './messages';
import { evaluatedDistricts, scoringDepartments } from './state';

export interface EvaluationNotice {
  kind: EvaluationNoticeKind;
  step: string;
  /** The units it goes to (the reform office when absent). */
  unitIds?: string[];
  followUpId?: string;
  explanation: { startEvent: string; startedAt: string; offset: string; dueAt?: string };
}

export interface EvaluationDuty extends Duty {
  notices: EvaluationNotice[];
  /** Scoring closes: the evaluation moves on to the report. */
  closeScoring?: boolean;
}

/** Units that still owe their scores. */
export function missingScorers(s: EvaluationState): string[] {
  const done = new Set([...s.selfScores, ...s.departmentScores].map((x) => x.unitId));
  return [...evaluatedDistricts(s.experiences), ...scoringDepartments(s.experiences)].filter((u) => !done.has(u));
}

export function evaluationDuties(s: EvaluationState, p: EvaluationPolicy): EvaluationDuty[] {
  const out: EvaluationDuty[] = [];
  const reminders = (name: string, dueAt: string, kind: EvaluationNoticeKind, from: { startEvent: string; startedAt: string }, unitIds?: string[]) =>
    p.remindBefore.forEach((before, i) => {
      const step = `reminder-${name}-${i}`;
      out.push({ key: step, at: subtractDuration(new Date(dueAt), before).getTime(), notices: [{ kind, step, unitIds, explanation: { ...from, offset: `提前${describeDuration(before)}提醒`, dueAt } }] });
    });
  const started = { startEvent: '年度评估启动', startedAt: s.startedAt };
  if (s.phase === 'PLANNING') {
    reminders('plan', s.planDueAt, 'PLAN_REMINDER', started);
    out.push({ key: 'plan-chase', at: new Date(s.planDueAt).getTime(), notices: [{ kind: 'PLAN_CHASE', step: 'plan-chase', explanation: { ...started, offset: describeDeadline(p.planWithin), dueAt: s.planDueAt } }] });
  }
  if (s.phase === 'SCORING' && s.plan && s.plannedAt) {
    const planned = { startEvent: '评估方案确定', startedAt: s.plannedAt };
    const missing = missingScorers(s);
    if (missing.length) reminders('scores', s.plan.scoresDueAt, 'SCORE_REMINDER', planned, missing);
    // At the plan's deadline scoring closes, whoever is missing is chased (and stays late on the board).
    out.push({
      key: 'scores-close',
      at: new Date(s.plan.scoresDueAt).getTime(),
      closeScoring: true,
      notices: missing.length ? [{ kind: 'SCORE_CHASE', step: 'scores-chase', unitIds: missing, explanation: { ...planned, offset: '按评估方案', dueAt: s.plan.scoresDueAt } }] : [],
    });
  }
  if (s.phase === 'REPORTING' && s.plan && s.plannedAt) {
    const planned = { startEvent: '评估方案确定', startedAt: s.plannedAt };
    reminders('report', s.plan.reportDueAt, 'REPORT_REMINDER', planned);
    out.push({ key: 'report-chase', at: new Date(s.plan.reportDueAt).getTime(), notices: [{ kind: 'REPORT_CHASE', step: 'report-chase', explanation: { ...planned, offset: '按评估方案', dueAt: s.plan.reportDueAt } }] });
  }
  if (s.phase === 'FOLLOW_UP' && s.decision) {
    const decided = { startEvent: '评估结果审定', startedAt: s.decision.at };
    for (const f of s.followUps.filter((x) => !x.doneAt)) {
      const step = `follow-up-chase:${f.id}`;
      out.push({ key: step, at: new Date(f.dueAt).getTime(), notices: [{ kind: 'FOLLOW_UP_CHASE', step, unitIds: [f.unitId], followUpId: f.id, explanation: { ...decided, offset: describeDeadline(p.followUpWithin), dueAt: f.dueAt } }] });
    }
  }
  return out;
}
