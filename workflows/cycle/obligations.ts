// What a month's cycle owes, and who owes it (第六条): each unit's progress
// report by the due date; each target's inspection, its issue list signed by
// both parties before scoring closes; in quarter months the districts' team
// ratings; the written diagnosis report after the visit. Pure.
import type { Obligation } from '../../common/obligations';
import { REFORM_OFFICE_ID } from '../../common/org';
import type { CycleState } from './messages';
import { reportDueOf } from './state';

export function cycleObligations(s: CycleState, workflowId: string, month: string, quarter: boolean): Obligation[] {
  const [year, m] = month.split('-').map(Number);
  const unitName = (id: string) => s.units.find((u) => u.id === id)?.name ?? id;
  const collecting = s.phase === 'COLLECTING';
  // Once the ranking is published, what was not done by then is no longer owed.
  const closed = (done: { at?: string; reason: string } | undefined): Pick<Obligation, 'status' | 'reason' | 'closedAt'> =>
    done ? { status: 'DONE', reason: done.reason, closedAt: done.at } : collecting ? { status: 'OPEN' } : { status: 'CANCELLED', reason: '本月排名已发布，未按期完成' };
  const out: Obligation[] = [];
  for (const u of s.units) {
    const report = s.reports.find((r) => r.unitId === u.id);
    out.push({
      key: `${workflowId}:report:${u.id}`,
      title: `报送${year}年${m}月改革工作进展调度情况`,
      rule: '第六条（一）',
      unitId: u.id,
      dueAt: reportDueOf(s, u.id),
      ...closed(report && { at: report.submittedAt, reason: report.onTime ? '已按时报送' : '已逾期报送' }),
    });
  }
  for (const t of s.targets) {
    const signed = s.inspections.find((i) => i.unitId === t && i.unitSignedAt && i.leaderSignedAt);
    const at = signed && [signed.unitSignedAt!, signed.leaderSignedAt!].sort()[1];
    out.push({ key: `${workflowId}:inspection:${t}`, title: `督查${unitName(t)}并形成双方签字的问题清单`, rule: '第六条（二）', unitId: REFORM_OFFICE_ID, dueAt: s.scoringAt, ...closed(signed && { at, reason: '问题清单已双方签字' }) });
  }
  for (const i of s.inspections) {
    out.push({
      key: `${workflowId}:sign-unit:${i.id}`,
      title: `问题清单签字确认（${i.teamName}）`,
      rule: '第六条（二）',
      unitId: i.unitId,
      dueAt: s.scoringAt,
      ...closed(i.unitSignedAt ? { at: i.unitSignedAt, reason: '已签字确认' } : undefined),
    });
    out.push({
      key: `${workflowId}:sign-leader:${i.id}`,
      title: `问题清单签字确认（督查组负责人，${unitName(i.unitId)}）`,
      rule: '第六条（二）',
      unitId: REFORM_OFFICE_ID,
      officialId: i.leaderId,
      dueAt: s.scoringAt,
      ...closed(i.leaderSignedAt ? { at: i.leaderSignedAt, reason: '已签字确认' } : undefined),
    });
  }
  if (quarter) {
    for (const u of s.units.filter((x) => x.kind === 'DISTRICT')) {
      const rating = s.ratings.find((r) => r.raterUnitId === u.id);
      out.push({ key: `${workflowId}:team-rating:${u.id}`, title: '季度对市督查组打分', rule: '第六条（三）', unitId: u.id, dueAt: s.scoringAt, ...closed(rating && { at: rating.at, reason: '已测评' }) });
    }
  }
  for (const d of s.diagnoses) {
    out.push({
      key: `${workflowId}:diagnosis:${d.unitId}`,
      title: `提交${unitName(d.unitId)}调研会诊书面报告`,
      rule: '第六条（六）',
      unitId: REFORM_OFFICE_ID,
      dueAt: d.dueAt,
      ...(d.filedAt ? { status: 'DONE', reason: '已提交书面报告', closedAt: d.filedAt } : { status: 'OPEN' }),
    });
  }
  return out;
}
