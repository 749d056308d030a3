// The timed duties of a month's cycle (第六条), as data: reminders before the
// report is due and chases after it (to the units that have not reported), the
// ranking when scoring closes (or when the reform office closes it early), the
// diagnosis report's reminder and its chases until filed, and the month's end.
// Pure: the workflow fires them (workflows/duties.ts).
import type { CycleNoticeArgs } from '../../activities/cycle';
import type { CyclePolicy } from '../../common/policy/cycle';
import { addDuration, addRepeated, describeDuration, subtractDuration } from '../../common/policy/duration';
import type { Duty } from '../duties';
import type { CycleState } from './messages';
import { reportDueOf } from './state';

export interface CycleNotice {
  kind: CycleNoticeArgs['kind'];
  step: string;
  why: { rule: string; startEvent: string; startedAt: string; offset: string; dueAt?: string };
  unitId?: string;
  context: CycleNoticeArgs['context'];
}

export interface CycleDuty extends Duty {
  notices: CycleNotice[];
  /** 一月一排名 and what follows it. */
  publish?: boolean;
  /** Every diagnosis report is filed: the month is done. */
  done?: boolean;
}

/** The report's clock of a unit: its due date and the reminders and chases of its policy. */
interface ReportClock {
  /** '' for the units on the city's clock (one duty for them all), else `:<unitId>`. */
  suffix: string;
  units: CycleState['units'];
  dueAt: string;
  p: CyclePolicy;
}

const reportTimers = (p: CyclePolicy) => JSON.stringify([p.reportDueAfter, p.remindBefore, p.chaseAfter]);

/**
 * 第二十一条: the units on the city's report clock share its duties; a unit
 * whose own policy sets another due date, reminders or chases gets its own.
 */
function reportClocks(s: CycleState, p: CyclePolicy, pOf: (unitId: string) => CyclePolicy): ReportClock[] {
  const own = s.units.filter((u) => u.reportDueAt !== undefined || reportTimers(pOf(u.id)) !== reportTimers(p));
  return [
    { suffix: '', units: s.units.filter((u) => !own.includes(u)), dueAt: s.reportDueAt, p },
    ...own.map((u) => ({ suffix: `:${u.id}`, units: [u], dueAt: reportDueOf(s, u.id), p: pOf(u.id) })),
  ];
}

/**
 * `periodStart`: the month's 1st, 00:00 Shanghai, which the report clock counts from.
 * `pOf`: the policy of a unit (第二十一条), which times its report.
 */
export function cycleDuties(s: CycleState, p: CyclePolicy, periodStart: string, fired: ReadonlySet<string>, pOf: (unitId: string) => CyclePolicy = () => p): CycleDuty[] {
  const out: CycleDuty[] = [];
  if (s.phase === 'COLLECTING') {
    for (const clock of reportClocks(s, p, pOf)) {
      const due = new Date(clock.dueAt);
      const q = clock.p;
      const missing = clock.units.filter((u) => !s.reports.some((r) => r.unitId === u.id));
      // A unit on its own clock that has reported has nothing left to be reminded of.
      if (clock.suffix && !missing.length) continue;
      q.remindBefore.forEach((before, i) => {
        out.push({
          key: `report-reminder-${i}${clock.suffix}`,
          at: subtractDuration(due, before).getTime(),
          notices: missing.map((u) => ({
            kind: 'REPORT_REMINDER',
            step: `report-reminder-${i}:${u.id}`,
            why: { rule: '第六条（一）', startEvent: '月度调度启动', startedAt: periodStart, offset: `${describeDuration(q.reportDueAfter)}（提前${describeDuration(before)}提醒）`, dueAt: clock.dueAt },
            unitId: u.id,
            context: { dueAt: clock.dueAt },
          })),
        });
      });
      q.chaseAfter.forEach((after, i) => {
        out.push({
          key: `report-chase-${i}${clock.suffix}`,
          at: addDuration(due, after).getTime(),
          notices: missing.map((u) => ({
            kind: 'REPORT_CHASE',
            step: `report-chase-${i}:${u.id}`,
            why: { rule: '第六条（一）', startEvent: '调度情况报送截止', startedAt: clock.dueAt, offset: `逾期${describeDuration(after)}`, dueAt: clock.dueAt },
            unitId: u.id,
            context: { dueAt: clock.dueAt, chase: i + 1 },
          })),
        });
      });
    }
    // 第六条（三）: scores are accepted until scoring closes; the reform office may close it earlier.
    out.push({ key: 'publish', at: s.closeRequested ? 0 : new Date(s.scoringAt).getTime(), notices: [], publish: true });
  }
  if (s.phase === 'DIAGNOSIS') {
    if (s.diagnoses.every((d) => d.filedAt)) return [{ key: 'done', at: 0, notices: [], done: true }];
    for (const d of s.diagnoses.filter((x) => !x.filedAt)) {
      const due = new Date(d.dueAt);
      p.remindBefore.forEach((before, i) => {
        const step = `diagnosis-reminder-${i}:${d.unitId}`;
        out.push({
          key: step,
          at: subtractDuration(due, before).getTime(),
          notices: [{ kind: 'DIAGNOSIS_CHASE', step, why: { rule: '第六条（六）', startEvent: '调研会诊', startedAt: d.visitAt, offset: `${describeDuration(p.diagnosisReportDueAfter)}（提前${describeDuration(before)}提醒）`, dueAt: d.dueAt }, unitId: d.unitId, context: { dueAt: d.dueAt, chase: 0 } }],
        });
      });
      // Chase at every interval after the due date until the report is filed: never silence.
      let n = 1;
      while (fired.has(`diagnosis-chase-${n}:${d.unitId}`)) n++;
      const at = addRepeated(due, p.diagnosisChaseEvery, n);
      const step = `diagnosis-chase-${n}:${d.unitId}`;
      out.push({
        key: step,
        at: at.getTime(),
        notices: [{ kind: 'DIAGNOSIS_CHASE', step, why: { rule: '第六条（六）', startEvent: '会诊报告截止', startedAt: d.dueAt, offset: `每${describeDuration(p.diagnosisChaseEvery)}（第${n}次）`, dueAt: d.dueAt }, unitId: d.unitId, context: { dueAt: d.dueAt, chase: n } }],
      });
    }
  }
  return out;
}
