// Innovation experiences (第十四条) as pure rules: the selection's phases,
// tallying and ranking with their tie rules, ballot checks, the township rule,
// acceptance dates, and the rollout's duties and per-district board. Shared by
// the workflows, the API and the unit tests; no I/O, deterministic.
import { addDuration } from '../../common/policy/duration';
import type { InnovationRolloutPolicy, InnovationSelectionPolicy } from '../../common/policy/innovation';

// ---- selection ---------------------------------------------------------------

export type SelectionPhase = 'CALL' | 'MUTUAL_VOTE' | 'SECOND_VOTE' | 'OPINIONS' | 'APPROVAL' | 'LEADERS' | 'APPROVED' | 'CANCELLED';
export type VoteRound = 'MUTUAL' | 'SECOND' | 'PUBLIC';
export type UnitKind = 'REFORM_OFFICE' | 'LEADERSHIP' | 'SPECIAL_GROUP' | 'DISTRICT' | 'DEPARTMENT' | 'TOWNSHIP';

export const PHASE_LABELS: Record<SelectionPhase, string> = {
  CALL: '征集候选经验',
  MUTUAL_VOTE: '区县和专项小组互评投票',
  SECOND_VOTE: '区县、部门投票和网络公开投票',
  OPINIONS: '征求市分管领导和牵头部门意见',
  APPROVAL: '市委改革办主任审核报送',
  LEADERS: '报市主要领导同意',
  APPROVED: '市主要领导已同意，推广实施',
  CANCELLED: '已取消',
};

/** "2026-H2" → "2026年下半年". */
export function halfLabel(selectionId: string): string {
  const m = /^(\d{4})-H([12])$/.exec(selectionId);
  return m ? `${m[1]}年${m[2] === '1' ? '上' : '下'}半年` : selectionId;
}

/** The phase after `p` closes. */
export const NEXT_PHASE: Partial<Record<SelectionPhase, SelectionPhase>> = {
  CALL: 'MUTUAL_VOTE',
  MUTUAL_VOTE: 'SECOND_VOTE',
  SECOND_VOTE: 'OPINIONS',
  OPINIONS: 'APPROVAL',
};

/** 第十四条: who votes in which round — districts and special groups first, then districts and departments. */
export const ROUND_VOTERS: Record<Exclude<VoteRound, 'PUBLIC'>, UnitKind[]> = {
  MUTUAL: ['DISTRICT', 'SPECIAL_GROUP'],
  SECOND: ['DISTRICT', 'DEPARTMENT'],
};
export const SUBMITTER_KINDS: UnitKind[] = ['DISTRICT', 'SPECIAL_GROUP'];

/** The official round running in a phase (the public round runs alongside SECOND). */
export function officialRound(phase: string): Exclude<VoteRound, 'PUBLIC'> | undefined {
  return phase === 'MUTUAL_VOTE' ? 'MUTUAL' : phase === 'SECOND_VOTE' ? 'SECOND' : undefined;
}

export interface CandidateScore {
  id: string;
  unitId: string;
  submittedAt: string;
  mutualVotes: number;
  secondVotes: number;
  publicVotes: number;
}

/** Votes per candidate: each ballot counts once for each distinct candidate it names. */
export function tally(ballots: ReadonlyArray<{ candidateIds: readonly string[] }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of ballots) for (const id of new Set(b.candidateIds)) out[id] = (out[id] ?? 0) + 1;
  return out;
}

const bySubmission = (a: CandidateScore, b: CandidateScore) =>
  a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * 第十四条 shortlist: the `size` candidates with most mutual votes.
 * Tie rule: the earlier submission first, then the candidate id.
 */
export function rankShortlist(candidates: readonly CandidateScore[], size: number): CandidateScore[] {
  return [...candidates].sort((a, b) => b.mutualVotes - a.mutualVotes || bySubmission(a, b)).slice(0, size);
}

export type FinalCombination = InnovationSelectionPolicy['finalCombination'];

const percent = (w: number) => `${Math.round(w * 1000) / 10}%`;

/** How the final list is chosen and ordered (第十四条), in the words shown to officials. */
export function finalRule(w: FinalCombination): string {
  return (
    `按区县和部门投票得票率（权重${percent(w.officialWeight)}）与网络公开投票得票率（权重${percent(w.publicWeight)}）加权合计确定入选经验，` +
    '合计相同的依次比较网络投票得票数、区县和部门投票得票数；入选经验按网络公开投票得票数排序，得票相同的依次比较加权合计、区县和部门投票得票数、互评投票得票数，仍相同的以申报时间在先者居前'
  );
}

/**
 * 第十四条 combination of the two votes: each as its share of the round's ballots
 * (a public round has far more ballots than the official one), weighted by the policy.
 */
export function combinedScore(c: Pick<CandidateScore, 'secondVotes' | 'publicVotes'>, w: FinalCombination, ballots: { SECOND: number; PUBLIC: number }): number {
  const share = (votes: number, n: number) => (n > 0 ? votes / n : 0);
  // Six decimals: shown to officials, stored, and compared exactly (a float8 column keeps them).
  return Math.round((w.officialWeight * share(c.secondVotes, ballots.SECOND) + w.publicWeight * share(c.publicVotes, ballots.PUBLIC)) * 1e6) / 1e6;
}

/**
 * 第十四条: the top `n` of the shortlist chosen by the combined vote (ties: the
 * public votes, then the second-round votes), then ordered by the public vote
 * (ties: the combined score, the second-round votes, the mutual votes, the
 * earlier submission). Returns the chosen in order with their scores.
 */
export function rankFinal(
  shortlist: readonly CandidateScore[],
  n: number,
  w: FinalCombination,
  ballots: { SECOND: number; PUBLIC: number },
): Array<CandidateScore & { combinedScore: number }> {
  const scored = shortlist.map((c) => ({ ...c, combinedScore: combinedScore(c, w, ballots) }));
  const chosen = scored
    .sort((a, b) => b.combinedScore - a.combinedScore || b.publicVotes - a.publicVotes || b.secondVotes - a.secondVotes || b.mutualVotes - a.mutualVotes || bySubmission(a, b))
    .slice(0, n);
  return chosen.sort(
    (a, b) => b.publicVotes - a.publicVotes || b.combinedScore - a.combinedScore || b.secondVotes - a.secondVotes || b.mutualVotes - a.mutualVotes || bySubmission(a, b),
  );
}

export interface BallotCandidate {
  id: string;
  unitId: string;
  shortlisted: boolean;
}

export type Refusal = { code: 'FORBIDDEN' | 'CONFLICT' | 'VALIDATION_FAILED'; message: string };

/**
 * Why a ballot is refused, or undefined. No unit votes for its own experience
 * (第十四条 mutual voting); the second round only names shortlisted candidates.
 */
export function ballotRefusal(b: {
  phase: string;
  round: VoteRound;
  voterUnitId?: string;
  voterKind?: UnitKind;
  candidateIds: readonly string[];
  candidates: readonly BallotCandidate[];
  maxChoices: number;
}): Refusal | undefined {
  const open = b.round === 'MUTUAL' ? b.phase === 'MUTUAL_VOTE' : b.phase === 'SECOND_VOTE';
  if (!open) return { code: 'CONFLICT', message: `当前阶段为“${PHASE_LABELS[b.phase as SelectionPhase] ?? b.phase}”，不在投票期内` };
  if (b.round !== 'PUBLIC' && (!b.voterKind || !ROUND_VOTERS[b.round].includes(b.voterKind))) {
    return { code: 'FORBIDDEN', message: b.round === 'MUTUAL' ? '互评投票仅限各区县和专项小组参加' : '本轮投票仅限各区县和市直部门参加' };
  }
  if (b.candidateIds.length === 0) return { code: 'VALIDATION_FAILED', message: '至少选择一项候选经验' };
  if (new Set(b.candidateIds).size !== b.candidateIds.length) return { code: 'VALIDATION_FAILED', message: '同一候选经验不能重复选择' };
  if (b.candidateIds.length > b.maxChoices) return { code: 'VALIDATION_FAILED', message: `每张选票最多选择${b.maxChoices}项` };
  for (const id of b.candidateIds) {
    const c = b.candidates.find((x) => x.id === id);
    if (!c || (b.round !== 'MUTUAL' && !c.shortlisted)) return { code: 'VALIDATION_FAILED', message: `候选经验 ${id} 不在本轮投票范围内` };
    if (b.round !== 'PUBLIC' && c.unitId === b.voterUnitId) return { code: 'FORBIDDEN', message: '不能为本单位申报的经验投票' };
  }
  return undefined;
}

// ---- rollout -----------------------------------------------------------------

/** 第十四条 township rollout: at least `min` distinct townships of the district. */
export function townshipRefusal(townshipIds: readonly string[], min: number): string | undefined {
  const distinct = new Set(townshipIds).size;
  if (distinct !== townshipIds.length) return '镇办不能重复';
  if (distinct < min) return `每个区县至少在${min}个镇办推广（第十四条），本次仅报送${distinct}个`;
  return undefined;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
/** The last second of a Shanghai calendar day, as an instant. */
function endOfShanghaiDay(year: number, month0: number, day: number): Date {
  return new Date(Date.UTC(year, month0, day, 23, 59, 59) - SHANGHAI_OFFSET_MS);
}

export interface AcceptancePeriod {
  label: string; // "2027年上半年"
  reportDueAt: string; // end of June / December (Shanghai)
  summaryDueAt: string; // 10 July / 10 January
}

/**
 * 第十四条 acceptance: reports at the end of June and December, the reform
 * office's summary by 10 July / 10 January. The rollout's first acceptance is
 * the first report date at least `firstAfter` after it started.
 */
export function acceptancePeriod(startedAt: Date, a: InnovationRolloutPolicy['acceptance']): AcceptancePeriod {
  const earliest = addDuration(startedAt, a.firstAfter);
  const months = [...new Set(a.reportMonths)].sort((x, y) => x - y);
  const startYear = new Date(earliest.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();
  for (let year = startYear; ; year++) {
    for (const m of months) {
      const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
      const report = endOfShanghaiDay(year, m - 1, lastDay);
      if (report.getTime() < earliest.getTime()) continue;
      const summary = endOfShanghaiDay(m === 12 ? year + 1 : year, m === 12 ? 0 : m, a.summaryDay);
      const label = m === 6 ? `${year}年上半年` : m === 12 ? `${year}年下半年` : `${year}年${m}月`;
      return { label, reportDueAt: report.toISOString(), summaryDueAt: summary.toISOString() };
    }
  }
}

export type DutyKind = 'LEAD_PLAN' | 'MEETING' | 'DISTRICT_MEETING' | 'DISTRICT_PLAN' | 'TOWNSHIP' | 'RECTIFICATION' | 'ACCEPTANCE_REPORT' | 'SUMMARY';

export const DUTY_LABELS: Record<DutyKind, string> = {
  LEAD_PLAN: '牵头部门制定实施方案并经市分管领导审定',
  MEETING: '召开部署会（动员会）',
  DISTRICT_MEETING: '区县召开部署会（动员会）',
  DISTRICT_PLAN: '区县制定实施意见和实施方案并经区县改革办主任审定',
  TOWNSHIP: '报送推广镇办',
  RECTIFICATION: '报送整改方案',
  ACCEPTANCE_REPORT: '报送验收报告',
  SUMMARY: '市委改革办验收总结',
};

/** One obligation of a rollout, with its clock and chase count. */
export interface Duty {
  /** Unique within the rollout: "lead-plan", "district-plan:district-zhangdian", ... */
  name: string;
  kind: DutyKind;
  unitId: string;
  title: string;
  startEvent: string;
  startedAt: string;
  offset: string;
  dueAt: string;
  /** Filed, waiting for approval (the approver is chased meanwhile). */
  submittedAt?: string;
  doneAt?: string;
  chases: number;
  data?: Record<string, unknown>;
}

/** 第十四条 acceptance: the reform office's verdict on each unit's rollout, given with its summary. */
export type AcceptanceVerdict = 'PASSED' | 'FAILED' | 'NOT_REPORTED';
export const VERDICT_LABELS: Record<AcceptanceVerdict, string> = { PASSED: '验收合格', FAILED: '验收不合格', NOT_REPORTED: '未报送验收报告' };

/** The verdict recorded on a unit's acceptance-report duty, if any. */
export function verdictOf(d: Pick<Duty, 'kind' | 'data'>): { verdict: AcceptanceVerdict; comment?: string } | undefined {
  const v = d.kind === 'ACCEPTANCE_REPORT' ? (d.data?.verdict as { verdict: AcceptanceVerdict; comment?: string } | undefined) : undefined;
  return v && VERDICT_LABELS[v.verdict] ? v : undefined;
}

/**
 * Why a meeting's date cannot be recorded (第十四条: the two weeks are judged by
 * when it was held, not when it was entered): not before the clock started, and
 * not a date still to come.
 */
export function meetingDateRefusal(heldAt: string, d: Pick<Duty, 'startedAt'>, now: Date): string | undefined {
  const t = new Date(heldAt).getTime();
  if (Number.isNaN(t)) return '会议时间无效';
  if (t > now.getTime()) return '会议尚未召开，请在会议召开后登记';
  if (t < new Date(d.startedAt).getTime()) return '会议时间早于实施方案审定时间';
  return undefined;
}

export type DutyStatus = 'DONE' | 'DONE_LATE' | 'OPEN' | 'SUBMITTED' | 'LATE';

export const DUTY_STATUS_LABELS: Record<DutyStatus, string> = {
  DONE: '按时完成',
  DONE_LATE: '逾期完成',
  OPEN: '办理中',
  SUBMITTED: '已报送待审定',
  LATE: '已逾期',
};

export function dutyStatus(d: Duty, now: Date): DutyStatus {
  if (d.doneAt) return d.doneAt > d.dueAt ? 'DONE_LATE' : 'DONE';
  if (now.getTime() > new Date(d.dueAt).getTime()) return 'LATE';
  return d.submittedAt ? 'SUBMITTED' : 'OPEN';
}

export interface BoardItem {
  name: string;
  kind: DutyKind;
  title: string;
  dueAt: string;
  doneAt?: string;
  status: DutyStatus;
  statusLabel: string;
  chases: number;
  /** Acceptance reports: the reform office's verdict, once given. */
  verdict?: AcceptanceVerdict;
}

export interface BoardRow {
  unitId: string;
  done: number;
  open: number;
  late: number;
  items: BoardItem[];
}

/** Per district (and the city-level units) what is done and what is late. */
export function boardOf(duties: readonly Duty[], districtIds: readonly string[], now: Date): { city: BoardRow[]; districts: BoardRow[] } {
  const row = (unitId: string, list: readonly Duty[]): BoardRow => {
    const items = list.map((d) => {
      const status = dutyStatus(d, now);
      return { name: d.name, kind: d.kind, title: d.title, dueAt: d.dueAt, doneAt: d.doneAt, status, statusLabel: DUTY_STATUS_LABELS[status], chases: d.chases, verdict: verdictOf(d)?.verdict };
    });
    return {
      unitId,
      done: items.filter((i) => i.status === 'DONE' || i.status === 'DONE_LATE').length,
      open: items.filter((i) => i.status === 'OPEN' || i.status === 'SUBMITTED').length,
      late: items.filter((i) => i.status === 'LATE' || i.status === 'DONE_LATE').length,
      items,
    };
  };
  const districtSet = new Set(districtIds);
  const cityUnits = [...new Set(duties.filter((d) => !districtSet.has(d.unitId)).map((d) => d.unitId))];
  return {
    city: cityUnits.map((u) => row(u, duties.filter((d) => d.unitId === u))),
    districts: districtIds.map((u) => row(u, duties.filter((d) => d.unitId === u))),
  };
}

export type RolloutState = 'RUNNING' | 'ACCEPTED';
