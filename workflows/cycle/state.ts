// The monthly 六个一 cycle's rules as pure functions (第六条): the inspection
// draw, scoring with explanations, ranking with ties, the annual 50% figure,
// the speakers, the most-improved units and the meeting's attendees. Shared by
// the workflow (deterministic: no clock, no I/O), the activities and unit tests.

import type { CyclePolicy, DepartmentExtension } from '../../common/policy/cycle';
import { drawFrom, prng } from '../draw';

/**
 * The department extension of a policy as the workflow received it. A cycle started before the value existed
 * holds an input without it: it runs without departments, as its recorded setup has none. (Here, not beside the
 * policy's schema: workflow code imports no zod.)
 */
export function departmentsOf(p: Partial<Pick<CyclePolicy, 'departments'>>): DepartmentExtension {
  return p.departments ?? { enabled: false, inspect: 0, indicators: [], tieBreak: [] };
}

/** The mutual-inspection expectation of a policy as the workflow received it (absent before the value existed: none). */
export function mutualOf(p: Partial<Pick<CyclePolicy, 'mutualInspection'>>): { expected: number } {
  return p.mutualInspection ?? { expected: 0 };
}

/** 第十条（二）: departments carrying reform tasks are cycle units too, ranked apart from districts and groups. */
export type UnitKind = 'DISTRICT' | 'SPECIAL_GROUP' | 'DEPARTMENT';

export interface CycleUnit {
  id: string;
  name: string;
  kind: UnitKind;
  /** 第二十一条: the unit's own report due date, where its own policy sets another than the city's. */
  reportDueAt?: string;
}

/** When `unitId`'s progress report is due: its own date, else the month's. */
export function reportDueOf(s: { units: readonly CycleUnit[]; reportDueAt: string }, unitId: string): string {
  return s.units.find((u) => u.id === unitId)?.reportDueAt ?? s.reportDueAt;
}

/** How the system scores an indicator. */
export type ScoringMethod =
  | 'REPORT_ON_TIME' // 一月一调度 report submitted by its due date
  | 'DOCUMENTS_ON_TIME' // the unit's document obligations due this month done on time (Document/Obligation tables)
  | 'LEDGER_CLOSED' // the unit's ledger tasks due by now closed (销号)
  | 'INSPECTION_ISSUES' // weight minus a penalty per item of the signed 问题清单
  | 'INSPECTOR'; // entered by the inspection team

export interface Indicator {
  code: string;
  name: string;
  /** Full points of the checkpoint (for a bonus item: the most it can add). */
  weight: number;
  method: ScoringMethod;
  appliesTo: UnitKind[];
  /** Bonus items (e.g. 信息化建设) add to the total on top of the regular checkpoints. */
  bonus?: boolean;
  /** How the inspectors score it, shown with the score. */
  description?: string;
}

/** A default indicator set, used when the reform office has not loaded the year's. */
export const DEFAULT_INDICATORS: Indicator[] = [
  { code: 'REPORT_ON_TIME', name: '按时报送月度调度情况', weight: 10, method: 'REPORT_ON_TIME', appliesTo: ['DISTRICT', 'SPECIAL_GROUP'] },
  { code: 'DOCUMENTS_ON_TIME', name: '配套文件按期出台', weight: 20, method: 'DOCUMENTS_ON_TIME', appliesTo: ['DISTRICT', 'SPECIAL_GROUP'] },
  { code: 'LEDGER_CLOSED', name: '台账任务按期销号', weight: 20, method: 'LEDGER_CLOSED', appliesTo: ['DISTRICT', 'SPECIAL_GROUP'] },
  { code: 'ISSUES', name: '督查发现问题', weight: 10, method: 'INSPECTION_ISSUES', appliesTo: ['DISTRICT', 'SPECIAL_GROUP'] },
  { code: 'INSPECTION', name: '改革举措落地见效（督查组评分）', weight: 40, method: 'INSPECTOR', appliesTo: ['DISTRICT', 'SPECIAL_GROUP'] },
  { code: 'INFORMATIZATION', name: '信息化建设（“互联网+改革”平台应用，加分项）', weight: 5, method: 'INSPECTOR', appliesTo: ['DISTRICT', 'SPECIAL_GROUP'], bonus: true },
];

export const METHOD_LABELS: Record<ScoringMethod, string> = {
  REPORT_ON_TIME: '系统自动计算：按时报送得满分，逾期报送按比例折算，未报送不得分',
  DOCUMENTS_ON_TIME: '系统自动计算：本月到期的文件办理义务按期完成的比例 × 分值；本月无到期义务得满分',
  LEDGER_CLOSED: '系统自动计算：已到期台账任务的销号比例 × 分值；无到期任务得满分',
  INSPECTION_ISSUES: '系统自动计算：分值减去经双方签字确认的问题清单问题数 × 每项扣分，最低0分',
  INSPECTOR: '督查组评分',
};

// ---- inspection content (第八条) ---------------------------------------------------

/** 第八条: the five areas an inspection covers; every issue-list item names its area. */
export const CONTENT_AREAS = ['DOCUMENTS', 'BASIC_WORK', 'SPECIAL_GROUPS', 'INNOVATION', 'OTHER'] as const;
export type ContentArea = (typeof CONTENT_AREAS)[number];
export const CONTENT_AREA_LABELS: Record<ContentArea, string> = {
  DOCUMENTS: '领导小组审议出台文件贯彻落实情况',
  BASIC_WORK: '基础业务开展情况',
  SPECIAL_GROUPS: '专项小组工作开展情况',
  INNOVATION: '创新改革经验推广推介情况',
  OTHER: '其他需要督查的事项',
};

/**
 * 第八条: per content area, how many of the month's signed inspections found issues in it and how many
 * issues; items recorded before areas were named (older months) are counted apart as `unnamed`.
 */
export function areaCoverage(inspections: ReadonlyArray<{ issues: ReadonlyArray<{ area?: ContentArea }> }>): {
  areas: Array<{ area: ContentArea; label: string; inspections: number; issues: number }>;
  unnamed: number;
} {
  const areas = CONTENT_AREAS.map((area) => {
    const hits = inspections.map((i) => i.issues.filter((x) => x.area === area).length);
    return { area, label: CONTENT_AREA_LABELS[area], inspections: hits.filter((n) => n > 0).length, issues: hits.reduce((a, b) => a + b, 0) };
  });
  const unnamed = inspections.reduce((n, i) => n + i.issues.filter((x) => !x.area || !(x.area in CONTENT_AREA_LABELS)).length, 0);
  return { areas, unnamed };
}

// ---- inspection draw ---------------------------------------------------------

export type InspectionMode = { mode: 'ALL' } | { mode: 'SAMPLE'; districts: number; specialGroups: number };

/**
 * 第六条（二）: the month's inspection targets — everyone, or (seed 002: 随机抽取)
 * a random sample of districts and of special groups drawn from `seed`.
 * Reproducible: the draw depends only on the seed and the sorted unit ids.
 */
export function drawTargets(units: CycleUnit[], mode: InspectionMode, seed: string, departments = 0): string[] {
  const sorted = [...units].sort((a, b) => a.id.localeCompare(b.id));
  const depts = sorted.filter((u) => u.kind === 'DEPARTMENT').map((u) => u.id);
  // 第十条（二）: every department, or (policy departments.inspect) a sample drawn from a stream of its own, so
  // the districts' and groups' draw of a seed stays what it was before departments were inspected.
  const deptPicked = new Set(departments > 0 ? drawFrom(depts, departments, prng(`${seed}:departments`)) : depts);
  if (mode.mode === 'ALL') return sorted.map((u) => u.id).filter((id) => !depts.includes(id) || deptPicked.has(id));
  const rnd = prng(seed);
  const pick = (kind: UnitKind, n: number) => drawFrom(sorted.filter((u) => u.kind === kind).map((u) => u.id), n, rnd);
  const picked = new Set([...pick('DISTRICT', mode.districts), ...pick('SPECIAL_GROUP', mode.specialGroups), ...deptPicked]);
  return sorted.map((u) => u.id).filter((id) => picked.has(id));
}

// ---- departments and mutual inspection (第十条) ----------------------------------------------

/**
 * 第十条（二）: the departments' own indicators (from the policy's `departments.indicators`), as indicators that
 * apply to departments only; their codes are the policy's, distinct from the year's set.
 */
export function departmentIndicators(set: ReadonlyArray<Omit<Indicator, 'appliesTo'>>): Indicator[] {
  return set.map((i) => ({ ...i, appliesTo: ['DEPARTMENT'] }));
}

/**
 * 第十条（一）: a mutual inspection (互督互查) — the inspecting unit is a peer of the same kind (district of a district,
 * city special group of a city special group), never the inspected unit itself nor (第七条) the district above an
 * inspected township, and it is recorded by the peer unit's own officials. The reason it is refused, or undefined.
 */
export function mutualInspectionRefusal(
  a: { peerUnitId: string; accountableUnitId: string; actorUnitId: string },
  units: readonly CycleUnit[],
  name: (id: string) => string,
): string | undefined {
  const peer = units.find((u) => u.id === a.peerUnitId);
  const target = units.find((u) => u.id === a.accountableUnitId);
  if (!peer || peer.kind === 'DEPARTMENT') return `${name(a.peerUnitId)}不是本月督导的区县或市专项小组，不能开展互督互查`;
  if (a.peerUnitId === a.accountableUnitId) return `互督互查不能由被督查单位自己开展：${name(a.peerUnitId)}不能督查本单位`;
  if (!target || target.kind !== peer.kind) return `互督互查在同类单位之间开展：${name(a.peerUnitId)}与${name(a.accountableUnitId)}不是同类单位`;
  if (a.actorUnitId !== a.peerUnitId) return `只有${name(a.peerUnitId)}可以登记本单位开展的互督互查`;
  return undefined;
}

// ---- scoring -------------------------------------------------------------------

/** What the system knows about a unit this month (gathered by an activity). */
export interface UnitFacts {
  report?: { submittedAt: string; onTime: boolean };
  reportDueAt: string;
  /** Document obligations (第五条) of the unit due this month: how many, how many done on time. */
  documents: { due: number; onTime: number };
  /** Ledger tasks (台账) of the unit due by now: how many, how many closed. */
  ledger: { due: number; closed: number };
  /** Items of 问题清单 signed by both parties; unsigned lists do not count (第六条（二）). */
  signedIssues: number;
  /** Of those, the items found in the unit's townships and its own special groups (第七条). */
  signedIssuesBelow?: number;
  unsignedInspections: number;
}

export interface ScoreEntry {
  id: string;
  unitId: string;
  indicatorCode: string;
  value: number;
  override: boolean;
  reason?: string;
  enteredBy: string;
  enteredAt: string;
}

export interface ScoreItem {
  code: string;
  name: string;
  weight: number;
  bonus: boolean;
  value: number;
  /** The facts the score rests on, in Chinese. */
  facts: string;
  /** The rule applied, in Chinese. */
  rule: string;
  computed?: number;
  override?: { value: number; reason?: string; by: string; at: string };
}

export interface UnitScore {
  unitId: string;
  unitName: string;
  kind: UnitKind;
  total: number;
  items: ScoreItem[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function latest(entries: ScoreEntry[], unitId: string, code: string, override: boolean): ScoreEntry | undefined {
  let hit: ScoreEntry | undefined;
  for (const e of entries) if (e.unitId === unitId && e.indicatorCode === code && e.override === override) hit = e;
  return hit;
}

export interface ScoringRules {
  lateReportFactor: number;
  issuePenalty: number;
  /** Officials' names for the explanations (officials read names, not ids). */
  names?: Record<string, string>;
}

/** Scores one unit on the indicators that apply to it; every item explains itself. */
export function scoreUnit(unit: CycleUnit, indicators: Indicator[], facts: UnitFacts, entries: ScoreEntry[], rules: ScoringRules): UnitScore {
  const items: ScoreItem[] = [];
  const who = (id: string) => rules.names?.[id] ?? id;
  for (const ind of indicators.filter((i) => i.appliesTo.includes(unit.kind))) {
    let value = 0;
    let text = '';
    const w = ind.weight;
    switch (ind.method) {
      case 'REPORT_ON_TIME':
        if (!facts.report) {
          value = 0;
          text = `截至评分时未报送月度调度情况（应于${facts.reportDueAt}前报送）`;
        } else if (facts.report.onTime) {
          value = w;
          text = `已于${facts.report.submittedAt}按时报送（截止${facts.reportDueAt}）`;
        } else {
          value = w * rules.lateReportFactor;
          text = `于${facts.report.submittedAt}逾期报送（截止${facts.reportDueAt}），按${rules.lateReportFactor}折算`;
        }
        break;
      case 'DOCUMENTS_ON_TIME':
        value = facts.documents.due === 0 ? w : (w * facts.documents.onTime) / facts.documents.due;
        text = facts.documents.due === 0 ? '本月无到期的文件办理义务' : `本月到期文件办理义务${facts.documents.due}项，按期完成${facts.documents.onTime}项`;
        break;
      case 'LEDGER_CLOSED':
        value = facts.ledger.due === 0 ? w : (w * facts.ledger.closed) / facts.ledger.due;
        text = facts.ledger.due === 0 ? '无已到期的台账任务' : `已到期台账任务${facts.ledger.due}项，已销号${facts.ledger.closed}项`;
        break;
      case 'INSPECTION_ISSUES':
        value = Math.max(0, w - rules.issuePenalty * facts.signedIssues);
        text =
          `经双方签字确认的问题清单共${facts.signedIssues}项问题` +
          (facts.signedIssuesBelow ? `（其中所辖镇办、区县专项小组${facts.signedIssuesBelow}项）` : '') +
          `，每项扣${rules.issuePenalty}分` +
          (facts.unsignedInspections ? `；另有${facts.unsignedInspections}份问题清单未经双方签字，不计入` : '');
        break;
      case 'INSPECTOR': {
        const e = latest(entries, unit.id, ind.code, false);
        value = e ? Math.min(w, Math.max(0, e.value)) : 0;
        text = e ? `督查组（${who(e.enteredBy)}）评分${e.value}分${e.reason ? `，理由：${e.reason}` : ''}` : '督查组未评分，按0分计';
        break;
      }
    }
    const item: ScoreItem = { code: ind.code, name: ind.name, weight: w, bonus: !!ind.bonus, value: round2(value), facts: text, rule: ind.description ?? METHOD_LABELS[ind.method] };
    const o = latest(entries, unit.id, ind.code, true);
    if (o) {
      item.computed = item.value;
      item.value = round2(Math.min(w, Math.max(0, o.value)));
      item.override = { value: o.value, reason: o.reason, by: o.enteredBy, at: o.enteredAt };
      item.facts += `；经${who(o.enteredBy)}调整为${item.value}分，理由：${o.reason ?? ''}`;
    }
    items.push(item);
  }
  return { unitId: unit.id, unitName: unit.name, kind: unit.kind, total: round2(items.reduce((s, i) => s + i.value, 0)), items };
}

// ---- ranking -------------------------------------------------------------------

export interface RankedUnit extends UnitScore {
  rank: number;
  /** Why this unit sits where it does among equal totals. */
  tieNote?: string;
}

/** The rule for ties, stated once, shown in the ranking and the briefing. */
export function tieRuleText(tieBreak: string[], indicators: Indicator[]): string {
  const names = tieBreak.map((c) => indicators.find((i) => i.code === c)?.name ?? c);
  return names.length
    ? `总分相同的，依次比较“${names.join('”“')}”得分，高者在前；仍相同的并列同一名次（下一名次顺延）`
    : '总分相同的并列同一名次（下一名次顺延）';
}

/**
 * Ranks one kind of unit (districts and special groups are ranked separately,
 * 第六条（三）): by total, then by the tie-break indicators in turn; units still
 * equal share the rank (1, 1, 3) and are listed by unit id.
 */
export function rankUnits(scores: UnitScore[], tieBreak: string[]): RankedUnit[] {
  const key = (s: UnitScore) => [s.total, ...tieBreak.map((c) => s.items.find((i) => i.code === c)?.value ?? 0)];
  const cmp = (a: UnitScore, b: UnitScore) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
    return 0;
  };
  const sorted = [...scores].sort((a, b) => cmp(a, b) || a.unitId.localeCompare(b.unitId));
  const out: RankedUnit[] = [];
  sorted.forEach((s, i) => {
    const prev = out[i - 1];
    const rank = prev && cmp(sorted[i - 1], s) === 0 ? prev.rank : i + 1;
    const sameTotal = sorted.filter((o) => o.total === s.total).length > 1;
    let tieNote: string | undefined;
    if (sameTotal) {
      const tiedFully = sorted.filter((o) => o !== s && cmp(o, s) === 0).length > 0;
      tieNote = tiedFully ? `与其他单位总分及比较项得分均相同，并列第${rank}名` : `总分${s.total}与其他单位相同，按比较项得分确定名次`;
    }
    out.push({ ...s, rank, tieNote });
  });
  return out;
}

export function firstRanked(ranked: RankedUnit[]): string[] {
  return ranked.filter((r) => r.rank === 1).map((r) => r.unitId);
}

export function lastRanked(ranked: RankedUnit[]): string[] {
  if (ranked.length === 0) return [];
  const worst = Math.max(...ranked.map((r) => r.rank));
  return ranked.filter((r) => r.rank === worst).map((r) => r.unitId);
}

// ---- annual figure, speakers, improvement ----------------------------------------

/**
 * 第六条（三）(1): a district's monthly scores count `weight` (50%) toward the
 * year-end assessment. The running figure is the mean of the year's monthly
 * totals so far × weight.
 */
export function annualFigure(monthlyTotals: number[], weight: number): { monthsCounted: number; average: number; figure: number } {
  const n = monthlyTotals.length;
  const average = n ? round2(monthlyTotals.reduce((s, x) => s + x, 0) / n) : 0;
  return { monthsCounted: n, average, figure: round2(average * weight) };
}

/** "2026-11" → "2026-10" (January → December of the previous year). */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${String(y - 1).padStart(4, '0')}-12` : `${String(y).padStart(4, '0')}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * 第六条（四）(1): special groups ranked last in each of the last `n` months
 * (this one included). `lastByMonth` maps "YYYY-MM" to that month's last-ranked
 * special groups; a month without a ranking breaks the run.
 */
export function lastInARow(month: string, lastByMonth: Record<string, string[]>, n: number): string[] {
  let candidates = lastByMonth[month] ?? [];
  let m = month;
  for (let i = 1; i < n && candidates.length; i++) {
    m = previousMonth(m);
    const last = new Set(lastByMonth[m] ?? []);
    candidates = candidates.filter((id) => last.has(id));
  }
  return candidates;
}

export interface Speakers {
  /** 典型发言: first-ranked district(s) and special group(s). */
  typical: string[];
  /** 表态发言: last-ranked district(s) and special groups last `n` months in a row. */
  commitment: string[];
}

/** 第六条（四）(1): speeches are the districts' and the special groups'; departments (第十条（二）) give none. */
export function speakers(districts: RankedUnit[], groups: RankedUnit[], groupsLastInARow: string[]): Speakers {
  return {
    typical: [...firstRanked(districts), ...firstRanked(groups)],
    commitment: [...lastRanked(districts), ...groupsLastInARow],
  };
}

/**
 * 第六条（五）(1): the most improved (前进幅度较大) units of one kind: the largest
 * climb in rank over the previous month (at least one place); ties all count.
 */
export function mostImproved(ranked: RankedUnit[], previousRanks: Record<string, number>): Array<{ unitId: string; from: number; to: number }> {
  const climbs = ranked
    .filter((r) => previousRanks[r.unitId] !== undefined)
    .map((r) => ({ unitId: r.unitId, from: previousRanks[r.unitId], to: r.rank, climb: previousRanks[r.unitId] - r.rank }))
    .filter((c) => c.climb > 0);
  if (!climbs.length) return [];
  const best = Math.max(...climbs.map((c) => c.climb));
  return climbs.filter((c) => c.climb === best).map(({ unitId, from, to }) => ({ unitId, from, to }));
}

// ---- the briefing meeting ----------------------------------------------------------

export interface AttendeeGroup {
  unitKind: 'DISTRICT' | 'SPECIAL_GROUP' | 'DEPARTMENT';
  roles: Array<'DIRECTOR' | 'DEPUTY_DIRECTOR' | 'LIAISON' | 'DRAFTER' | 'LEADER_IN_CHARGE'>;
  label: string;
}

export function isQuarterMonth(monthNumber: number, quarterMonths: number[]): boolean {
  return quarterMonths.includes(monthNumber);
}

/**
 * 第六条（四）(1): district reform-office directors and deputies, special-group
 * liaisons and section heads every month; the departments' leaders in charge
 * once a quarter.
 */
export function briefingAttendees(monthNumber: number, quarterMonths: number[]): AttendeeGroup[] {
  const out: AttendeeGroup[] = [
    { unitKind: 'DISTRICT', roles: ['DIRECTOR', 'DEPUTY_DIRECTOR'], label: '各区县党（工）委改革办主任、专职副主任' },
    { unitKind: 'SPECIAL_GROUP', roles: ['LIAISON', 'DRAFTER'], label: '市各专项小组联络员、科室负责人' },
  ];
  if (isQuarterMonth(monthNumber, quarterMonths)) {
    out.push({ unitKind: 'DEPARTMENT', roles: ['LEADER_IN_CHARGE'], label: '市直有关部门分管领导' });
  }
  return out;
}

// ---- quarterly team ratings ---------------------------------------------------------

export interface TeamRating {
  raterId: string;
  raterUnitId: string;
  teamName: string;
  fairMethod: number;
  fairOrder: number;
  thorough: number;
  clean: number;
  comment?: string;
  at: string;
}

export interface RankedTeam {
  teamName: string;
  raters: number;
  fairMethod: number;
  fairOrder: number;
  thorough: number;
  clean: number;
  average: number;
  rank: number;
}

/**
 * 第六条（三）(2): district heads score the inspection teams each quarter; a
 * team's score is the mean over raters of the four criteria's mean; ranked
 * high to low, equal averages share the rank.
 */
export function rankTeams(ratings: TeamRating[]): RankedTeam[] {
  const teams = [...new Set(ratings.map((r) => r.teamName))].sort();
  const mean = (xs: number[]) => round2(xs.reduce((s, x) => s + x, 0) / xs.length);
  const rows = teams.map((teamName) => {
    const rs = ratings.filter((r) => r.teamName === teamName);
    return {
      teamName,
      raters: rs.length,
      fairMethod: mean(rs.map((r) => r.fairMethod)),
      fairOrder: mean(rs.map((r) => r.fairOrder)),
      thorough: mean(rs.map((r) => r.thorough)),
      clean: mean(rs.map((r) => r.clean)),
      average: mean(rs.map((r) => (r.fairMethod + r.fairOrder + r.thorough + r.clean) / 4)),
      rank: 0,
    };
  });
  rows.sort((a, b) => b.average - a.average || a.teamName.localeCompare(b.teamName));
  rows.forEach((r, i) => (r.rank = i > 0 && rows[i - 1].average === r.average ? rows[i - 1].rank : i + 1));
  return rows;
}

// ---- the cycle's phases ----------------------------------------------------------------

export type CyclePhase = 'COLLECTING' | 'RANKED' | 'DIAGNOSIS' | 'DONE';

export const PHASE_LABELS: Record<CyclePhase, string> = {
  COLLECTING: '调度、督查、评分进行中',
  RANKED: '排名已发布',
  DIAGNOSIS: '会诊报告待提交',
  DONE: '本月督导已完成',
};

/** "2026-11" → { year: 2026, month: 11 }, or undefined when malformed. */
export function parseMonth(month: string): { year: number; month: number } | undefined {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  return m ? { year: Number(m[1]), month: Number(m[2]) } : undefined;
}

/** The first instant of a month on the Shanghai calendar, as UTC. */
export function monthStart(month: string): Date {
  const p = parseMonth(month)!;
  return new Date(Date.UTC(p.year, p.month - 1, 1) - 8 * 3600_000);
}

/** The first instant of the following month (the end of `month`). */
export function monthEnd(month: string): Date {
  const p = parseMonth(month)!;
  return new Date(Date.UTC(p.year, p.month, 1) - 8 * 3600_000);
}

/** The month ("YYYY-MM") an instant falls in on the Shanghai calendar. */
export function shanghaiMonth(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000);
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}
