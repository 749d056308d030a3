// The month's ranking (一月一排名), briefing (一月一通报) and publicity
// (一月一宣传) composed from the cycle's state (第六条（三）–（六）). Pure: the
// workflow feeds it the facts its activities read; the unit tests check it.
import type { UnitSystemFacts } from '../../activities/cycle';
import type { CyclePolicy } from '../../common/policy/cycle';
import { addDuration, describeDuration, formatShanghai } from '../../common/policy/duration';
import type { CycleState, Ranking } from './messages';
import { accountableUnit } from './scope';
import {
  annualFigure,
  areaCoverage,
  CONTENT_AREA_LABELS,
  departmentsOf,
  lastInARow,
  lastRanked,
  mostImproved,
  mutualOf,
  previousMonth,
  rankTeams,
  rankUnits,
  reportDueOf,
  scoreUnit,
  speakers as chooseSpeakers,
  tieRuleText,
  type UnitKind,
} from './state';

/** Published rankings of earlier months, as the ranking reads them. */
export type RankingHistory = Record<string, Array<{ unitId: string; unitKind: UnitKind; total: number; rank: number }>>;

/** Earlier months the ranking reads: this year's (annual figure), the last few (three in a row), the previous (improvement). */
export function historyMonths(month: string, p: CyclePolicy): string[] {
  const [year, m] = month.split('-').map(Number);
  const months = new Set<string>();
  for (let k = 1; k < m; k++) months.add(`${year}-${String(k).padStart(2, '0')}`);
  let back = month;
  for (let i = 1; i < p.specialGroupLastInARow; i++) months.add((back = previousMonth(back)));
  return [...months];
}

export interface RankInputs {
  month: string;
  state: Pick<CycleState, 'units' | 'subunits' | 'indicators' | 'reports' | 'inspections' | 'entries' | 'ratings' | 'reportDueAt'>;
  facts: Record<string, UnitSystemFacts>;
  /** Names of the officials who entered scores (shown with overrides). */
  names: Record<string, string>;
  history: RankingHistory;
  rankedAt: string;
  quarter: boolean;
  policy: CyclePolicy;
}

/** 第六条（三）: every unit scored and ranked, with the annual figure, the speakers and the most improved. */
export function rankMonth(i: RankInputs): { ranking: Ranking; inARow: string[] } {
  const { state: s, policy: p } = i;
  const year = Number(i.month.slice(0, 4));
  const rules = { lateReportFactor: p.lateReportFactor, issuePenalty: p.issuePenalty, names: i.names };
  const scores = s.units.map((u) => {
    const report = s.reports.find((r) => r.unitId === u.id);
    // 第七条: inspections of a district's townships and own special groups count toward the district.
    const insps = s.inspections.filter((x) => accountableUnit(x.unitId, s.subunits) === u.id);
    const signed = insps.filter((x) => x.unitSignedAt && x.leaderSignedAt);
    return scoreUnit(
      u,
      s.indicators,
      {
        ...i.facts[u.id],
        report: report && { submittedAt: formatShanghai(report.submittedAt), onTime: report.onTime },
        reportDueAt: formatShanghai(reportDueOf(s, u.id)),
        signedIssues: signed.reduce((n, x) => n + x.issues.length, 0),
        signedIssuesBelow: signed.filter((x) => x.unitId !== u.id).reduce((n, x) => n + x.issues.length, 0),
        unsignedInspections: insps.length - signed.length,
      },
      s.entries,
      rules,
    );
  });
  const districts = rankUnits(scores.filter((x) => x.kind === 'DISTRICT'), p.tieBreak);
  const groups = rankUnits(scores.filter((x) => x.kind === 'SPECIAL_GROUP'), p.tieBreak);
  // 第十条（二）: departments in a ranking of their own, on their own indicators and tie-break, never mixed with districts.
  const deptPolicy = departmentsOf(p);
  const departments = rankUnits(scores.filter((x) => x.kind === 'DEPARTMENT'), deptPolicy.tieBreak);

  const annual: Ranking['annual'] = {};
  for (const u of [...districts, ...groups, ...departments]) {
    const totals = Object.keys(i.history)
      .filter((m) => m.startsWith(`${year}-`))
      .sort()
      .flatMap((m) => i.history[m].filter((r) => r.unitId === u.unitId).map((r) => r.total));
    const a = annualFigure([...totals, u.total], p.districtAnnualWeight);
    // 第六条（三）(1): only a district's monthly score counts toward its year-end assessment.
    annual[u.unitId] = { monthsCounted: a.monthsCounted, average: a.average, figure: u.kind === 'DISTRICT' ? a.figure : undefined };
  }
  const lastByMonth: Record<string, string[]> = { [i.month]: lastRanked(groups) };
  for (const [m, rows] of Object.entries(i.history)) {
    const sg = rows.filter((r) => r.unitKind === 'SPECIAL_GROUP');
    const worst = Math.max(...sg.map((r) => r.rank));
    lastByMonth[m] = sg.filter((r) => r.rank === worst).map((r) => r.unitId);
  }
  const inARow = lastInARow(i.month, lastByMonth, p.specialGroupLastInARow);
  const prevRanks = Object.fromEntries((i.history[previousMonth(i.month)] ?? []).map((r) => [r.unitId, r.rank]));
  return {
    inARow,
    ranking: {
      rankedAt: i.rankedAt,
      districts,
      specialGroups: groups,
      ...(departments.length ? { departments, departmentTieRule: tieRuleText(deptPolicy.tieBreak, s.indicators) } : {}),
      tieRule: tieRuleText(p.tieBreak, s.indicators),
      speakers: chooseSpeakers(districts, groups, inARow),
      improved: [...mostImproved(districts, prevRanks), ...mostImproved(groups, prevRanks)],
      annual,
      teams: i.quarter ? rankTeams(s.ratings) : undefined,
    },
  };
}

export interface Briefing {
  meetingAt: string;
  /** The last-ranked districts, visited for 一月一会诊. */
  diagnosisUnits: string[];
  visitAt: string;
  highlights: string[];
  problems: string[];
  reportsMissing: string[];
  nextMonth: string[];
  /** 第八条: the areas the month's signed issue lists covered, with the issues per area. */
  areas: ReturnType<typeof areaCoverage>;
  /** 第十条（三）: the grassroots opinions heard during the month's inspections (signed or not: they are not findings). */
  opinions: string[];
  /** 第十条（一）: the month's mutual inspections (互督互查), one line each, and how many against the policy's expectation. */
  mutual: { lines: string[]; count: number; expected: number };
}

/** 第六条（四）、（六）: what the briefing says, when the meeting and the diagnosis visit are. */
export function composeBriefing(s: Pick<CycleState, 'units' | 'reports' | 'inspections'>, ranking: Ranking, p: CyclePolicy, unitName: (id: string) => string): Briefing {
  const all = [...ranking.districts, ...ranking.specialGroups];
  const missing = s.units.filter((u) => !s.reports.some((r) => r.unitId === u.id)).map((u) => u.id);
  const late = s.reports.filter((r) => !r.onTime).map((r) => r.unitId);
  const signed = s.inspections.filter((i) => i.unitSignedAt && i.leaderSignedAt);
  const diagnosisUnits = lastRanked(ranking.districts);
  const visitAt = addDuration(new Date(ranking.rankedAt), p.diagnosisVisitAfter).toISOString();
  return {
    meetingAt: addDuration(new Date(ranking.rankedAt), p.briefingMeetingAfter).toISOString(),
    diagnosisUnits,
    visitAt,
    highlights: [
      ...ranking.speakers.typical.map((id) => `${unitName(id)}本月排名第一（${all.find((x) => x.unitId === id)?.total}分）`),
      ...ranking.improved.map((x) => `${unitName(x.unitId)}由上月第${x.from}名上升至第${x.to}名，前进幅度较大`),
      `${s.units.length - missing.length - late.length}个单位按时报送月度调度情况`,
    ],
    problems: [
      ...signed.flatMap((i) => i.issues.map((x) => `${unitName(i.unitId)}：${x.area ? `【${CONTENT_AREA_LABELS[x.area]}】` : ''}${x.title}`)),
      ...late.map((id) => `${unitName(id)}逾期报送月度调度情况`),
    ],
    areas: areaCoverage(signed),
    opinions: s.inspections.flatMap((i) => (i.opinions ?? []).map((o) => `督查${unitName(i.unitId)}时听取${o.unit}意见：${o.text}`)),
    mutual: {
      lines: s.inspections
        .filter((i) => i.peerUnitId)
        .map((i) => `${unitName(i.peerUnitId!)}督查${unitName(i.unitId)}（${i.teamName}，${i.unitSignedAt && i.leaderSignedAt ? `问题清单已双方签字，${i.issues.length}项问题` : '问题清单未经双方签字，不计入排名'}）`),
      count: s.inspections.filter((i) => i.peerUnitId).length,
      expected: mutualOf(p).expected,
    },
    reportsMissing: missing,
    nextMonth: [
      `下月调度启动后${describeDuration(p.reportDueAfter)}内报送改革工作进展情况`,
      ...diagnosisUnits.map((id) => `${formatShanghai(visitAt)}到${unitName(id)}调研会诊`),
      ...signed.filter((i) => i.issues.length).map((i) => `${unitName(i.unitId)}对照问题清单抓好整改`),
    ],
  };
}

/**
 * 第六条（五）(2): in a half-year month (policy `halfYearMonths`, June and December) the first-ranked district
 * and city special group of the half-year that ends with it — the best mean monthly total over the half's
 * ranked months — and in December also of the whole year. Equal means share the first place.
 */
export function periodWinners(ranking: Ranking, month: string, history: RankingHistory, p: Pick<CyclePolicy, 'halfYearMonths'>): string[] {
  const [year, m] = month.split('-').map(Number);
  if (!p.halfYearMonths.includes(m)) return [];
  // The half-year runs from the month after the previous half-year month (or January) to this one.
  const from = Math.max(0, ...p.halfYearMonths.filter((x) => x < m)) + 1;
  const periods: Array<{ label: string; from: number }> = [];
  if (from > 1 || m < 12) periods.push({ label: from === 1 && m === 6 ? '上半年' : from === 7 && m === 12 ? '下半年' : `${from}月至${m}月`, from });
  if (m === 12) periods.push({ label: '全年', from: 1 });
  const out: string[] = [];
  for (const { label, from: first } of periods) {
    const months = Object.keys(history).filter((k) => k.startsWith(`${year}-`) && Number(k.slice(5)) >= first && Number(k.slice(5)) < m);
    for (const kind of ['DISTRICT', 'SPECIAL_GROUP'] as const) {
      const means = [...ranking.districts, ...ranking.specialGroups]
        .filter((u) => u.kind === kind)
        .map((u) => {
          const totals = [...months.flatMap((k) => history[k].filter((r) => r.unitId === u.unitId).map((r) => r.total)), u.total];
          return { name: u.unitName, n: totals.length, mean: Math.round((totals.reduce((a, b) => a + b, 0) / totals.length) * 100) / 100 };
        });
      const best = Math.max(...means.map((x) => x.mean));
      const leaders = means.filter((x) => x.mean === best);
      for (const w of leaders) out.push(`${w.name}（${label}${leaders.length > 1 ? '并列' : ''}排名第一，${w.n}个月平均${w.mean}分）`);
    }
  }
  return out;
}

/** 第六条（五）: the top-ranked and the most improved, with their own reports as material; the half-year and year winners. */
export function composePublicity(s: Pick<CycleState, 'reports'>, ranking: Ranking, month: string, history: RankingHistory, p: CyclePolicy, unitName: (id: string) => string) {
  const featured = [...new Set([...ranking.speakers.typical, ...ranking.improved.map((x) => x.unitId)])];
  return {
    top: ranking.speakers.typical.map(unitName),
    improved: ranking.improved.map((x) => unitName(x.unitId)),
    winners: periodWinners(ranking, month, history, p),
    material: featured.flatMap((id) => s.reports.filter((r) => r.unitId === id).map((r) => `${unitName(id)}：${r.summary}`)),
  };
}
