// Seeking pilots (第十一条(一)–(四) 争取试点) as pure data and rules: the quarter
// and its months, the leads the reform office issues, each unit's monthly 对接
// report, the seeking ledger (争取台账) and the quarterly bulletin's figures.
// Deterministic: used by the workflow, the activities, the API and the tests.

export type SeekingPhase = 'COLLECTING' | 'BULLETIN' | 'CLOSED';

export const PHASE_LABELS: Record<SeekingPhase, string> = { COLLECTING: '对接争取中', BULLETIN: '待季度通报', CLOSED: '已通报' };

/** Who a lead or a pilot comes from. */
export type SeekingLevel = 'CENTRAL' | 'PROVINCIAL';
export const LEVEL_LABELS: Record<SeekingLevel, string> = { CENTRAL: '中央', PROVINCIAL: '省' };

/** 第十一条(二): a pilot lead the centre or the province plans, issued to the units that take charge of it. */
export interface Lead {
  /** "L-<n>", in issue order. */
  id: string;
  title: string;
  level: SeekingLevel;
  /** The body planning it, e.g. "国家发展改革委". */
  source: string;
  /** The unit that takes charge (牵头); the row of the ledger is its. */
  leadUnitId: string;
  participantUnitIds: string[];
}

/** 第十一条(一) 一月一对接: what a unit reports for a month of the quarter. */
export interface ContactReport {
  unitId: string;
  /** 1, 2 or 3: the month within the quarter. */
  month: number;
  /** Whom the unit contacted (国家部委、省直部门…). */
  contacts: string;
  /** New policies or pilots learned of. */
  learned: string;
  /** What the unit asked for. */
  requests: string;
  by: string;
  at: string;
  /** Filed after its due date. */
  late: boolean;
}

export type RowStatus = 'OPEN' | 'WON' | 'DROPPED';
export const ROW_STATUS_LABELS: Record<RowStatus, string> = { OPEN: '争取中', WON: '已争取成功', DROPPED: '已放弃' };

/** 第十一条(三) 争取台账: one pilot a unit seeks, with its lead unit, participants, responsible leader and progress. */
export interface LedgerRow {
  /** "<quarter>-R<n>", kept when the row carries over into later quarters. */
  id: string;
  unitId: string;
  title: string;
  level: SeekingLevel;
  source: string;
  participantUnitIds: string[];
  /** 责任领导: the official answerable for it (set by the unit). */
  leaderId?: string;
  progress: string;
  status: RowStatus;
  /** Why it was dropped, or how it was won. */
  note?: string;
  /** The lead it answers, when the office issued one. */
  leadId?: string;
  /** The quarter it was opened in. */
  openedIn: string;
  closedAt?: string;
  /** The quarter it was closed in (the bulletin counts it there). */
  closedIn?: string;
  updatedAt: string;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;

export function parseQuarter(quarter: string): { year: number; q: number } | undefined {
  const m = QUARTER.exec(quarter);
  return m ? { year: Number(m[1]), q: Number(m[2]) } : undefined;
}

/** The first instant of month `k` (1–3, or 4 = the next quarter's first) of a quarter, Asia/Shanghai. */
export function monthStartOf(quarter: string, k: number): string {
  const { year, q } = parseQuarter(quarter)!;
  const month = (q - 1) * 3 + k; // 1…13
  const y = year + Math.floor((month - 1) / 12);
  const mm = String(((month - 1) % 12) + 1).padStart(2, '0');
  return new Date(`${y}-${mm}-01T00:00:00+08:00`).toISOString();
}

export const quarterStart = (quarter: string) => monthStartOf(quarter, 1);
export const quarterEnd = (quarter: string) => monthStartOf(quarter, 4);

/** The quarter of an instant in Asia/Shanghai, e.g. "2027-Q1". */
export function quarterOf(at: Date | number): string {
  const local = new Date(new Date(at).getTime() + 8 * 3600_000);
  return `${local.getUTCFullYear()}-Q${Math.floor(local.getUTCMonth() / 3) + 1}`;
}

/** The quarter before, e.g. "2027-Q1" → "2026-Q4". */
export function previousQuarter(quarter: string): string {
  const { year, q } = parseQuarter(quarter)!;
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

export const reported = (reports: readonly ContactReport[], unitId: string, month: number) => reports.some((r) => r.unitId === unitId && r.month === month);

/** 第十一条(四): one unit's line in the quarterly bulletin. */
export interface BulletinLine {
  unitId: string;
  /** Months reported, and of them late; the months not reported. */
  filed: number[];
  late: number[];
  missing: number[];
  /** Rows still sought at the quarter's end, won and dropped in it. */
  seeking: number;
  won: string[];
  dropped: string[];
}

/** The bulletin's figures, unit by unit (every unit that owes reports, plus any with ledger rows). */
export function bulletinLines(quarter: string, units: readonly string[], months: number, reports: readonly ContactReport[], rows: readonly LedgerRow[]): BulletinLine[] {
  const all = [...new Set([...units, ...rows.map((r) => r.unitId)])].sort();
  return all.map((unitId) => {
    const mine = rows.filter((r) => r.unitId === unitId);
    const filed: number[] = [];
    const missing: number[] = [];
    for (let k = 1; k <= months; k++) (reported(reports, unitId, k) ? filed : missing).push(k);
    return {
      unitId,
      filed,
      late: reports.filter((r) => r.unitId === unitId && r.late).map((r) => r.month).sort(),
      missing: units.includes(unitId) ? missing : [],
      seeking: mine.filter((r) => r.status === 'OPEN').length,
      won: mine.filter((r) => r.status === 'WON' && r.closedIn === quarter).map((r) => r.title),
      dropped: mine.filter((r) => r.status === 'DROPPED' && r.closedIn === quarter).map((r) => r.title),
    };
  });
}

/** The bulletin's text (第十一条(四)): the totals, then one paragraph per unit. `name` gives a unit's name. */
export function composeBulletin(quarter: string, lines: readonly BulletinLine[], name: (unitId: string) => string, note?: string): string {
  const { year, q } = parseQuarter(quarter)!;
  const month = (k: number) => `${(q - 1) * 3 + k}月`;
  const sum = (f: (l: BulletinLine) => number) => lines.reduce((n, l) => n + f(l), 0);
  const head = `${year}年第${q}季度，各区县、市直有关部门共报送对接争取情况${sum((l) => l.filed.length)}次，缺报${sum((l) => l.missing.length)}次；争取台账在争取试点${sum((l) => l.seeking)}项，本季度争取成功${sum((l) => l.won.length)}项，放弃${sum((l) => l.dropped.length)}项。`;
  const body = lines.map((l) => {
    const parts = [
      `报送对接情况${l.filed.length}次${l.late.length ? `（${l.late.map(month).join('、')}逾期报送）` : ''}`,
      l.missing.length ? `缺报${l.missing.map(month).join('、')}` : '',
      `在争取试点${l.seeking}项`,
      l.won.length ? `争取成功${l.won.length}项：${l.won.join('；')}` : '',
      l.dropped.length ? `放弃${l.dropped.length}项：${l.dropped.join('；')}` : '',
    ].filter(Boolean);
    return `${name(l.unitId)}：${parts.join('，')}。`;
  });
  return [head, ...body, ...(note ? [`市委改革办意见：${note}`] : [])].join('\n');
}

/** The quarter after, e.g. "2026-Q4" → "2027-Q1". */
export function nextQuarter(quarter: string): string {
  const { year, q } = parseQuarter(quarter)!;
  return q === 4 ? `${year + 1}-Q1` : `${year}-Q${q + 1}`;
}
