// The yearly innovation items (第十二条 激励探索创新), as pure data and rules:
// districts and city departments submit items in January (提报), each goes to
// the special group of its field for a first review signed by the group's
// leader, the reform office reviews what the groups passed, the director
// approves, a bulletin tells every submitter the outcome, and the approved items
// are tracked month by month (一月一汇总、一月一点评) until the year ends.
// Deterministic: used by the workflow, the API and the tests.
import type { ExplorationNoticeKind } from '../../activities/explorationTexts';

export type ExplorationPhase = 'CALL' | 'GROUP_REVIEW' | 'OFFICE_REVIEW' | 'APPROVAL' | 'TRACKING' | 'CLOSED';

export const PHASE_LABELS: Record<ExplorationPhase, string> = {
  CALL: '提报',
  GROUP_REVIEW: '专项小组初审',
  OFFICE_REVIEW: '市委改革办复审',
  APPROVAL: '市委改革办主任审定',
  TRACKING: '追踪实施',
  CLOSED: '已结束',
};

/** 第十二条(一): an achievement already explored, or a matter that needs reform. */
export type ItemKind = 'ACHIEVEMENT' | 'PROPOSAL';
export const ITEM_KIND_LABELS: Record<ItemKind, string> = { ACHIEVEMENT: '探索创新性成果', PROPOSAL: '亟需改革事项' };

export interface Review {
  passed: boolean;
  comment?: string;
  by: string;
  at: string;
}

export interface ProgressReport {
  round: number;
  text: string;
  by: string;
  at: string;
}

/**
 * 第十二条(三) 定期对创新改革事项进行调整补充完善: the office adds an item after the
 * approval, or withdraws one. `round` is the first tracking round it applies to.
 */
export interface Adjustment {
  round: number;
  reason: string;
  by: string;
  at: string;
}

export interface ExplorationItem {
  /** "I-<n>", in submission order. */
  id: string;
  unitId: string;
  title: string;
  summary: string;
  kind: ItemKind;
  /** The special group of the item's field, which reviews it first. */
  groupId: string;
  submittedBy: string;
  submittedAt: string;
  /** The group's first review, signed by its leader. */
  groupReview?: Review;
  officeReview?: Review;
  /** The director's decision; the comment is what to revise (按审定意见修改完善). */
  approval?: Review;
  progress: ProgressReport[];
  /** Added by the office during tracking: reports are owed from `added.round`. */
  added?: Adjustment;
  /** Withdrawn by the office: no report is owed from `withdrawn.round` on. */
  withdrawn?: Adjustment;
}

/** The month of tracking `round` (1, 2, …): what each unit with approved items owes, and the office's comment. */
export interface TrackingRound {
  round: number;
  /** The units owing their report, as the round opened (absent in years recorded before adjustments existed). */
  units?: string[];
  reportsDueAt: string;
  commentDueAt: string;
  comment?: { text: string; by: string; at: string };
}

export interface ExplorationSetup {
  /** 第十二条(一): districts and the city departments concerned. */
  submitters: string[];
  /** The city's special groups (not a district's own). */
  groups: string[];
  directorId?: string;
}

export function approvedItems(items: readonly ExplorationItem[]): ExplorationItem[] {
  return items.filter((i) => i.approval?.passed);
}

/** The units that implement approved items (第十二条(三): each runs its own). */
export function implementingUnits(items: readonly ExplorationItem[]): string[] {
  return [...new Set(approvedItems(items).map((i) => i.unitId))].sort();
}

/** Whether an item owes its report in tracking round `round`: approved, added by then, not withdrawn before it. */
export function trackedIn(i: ExplorationItem, round: number): boolean {
  return !!i.approval?.passed && (i.added?.round ?? 1) <= round && !(i.withdrawn && i.withdrawn.round <= round);
}

/** The units owing a report in tracking round `round` (fixed when the round opens). */
export function unitsTrackedIn(items: readonly ExplorationItem[], round: number): string[] {
  return [...new Set(items.filter((i) => trackedIn(i, round)).map((i) => i.unitId))].sort();
}

/** The groups that have items to review this year. */
export function reviewingGroups(items: readonly ExplorationItem[]): string[] {
  return [...new Set(items.map((i) => i.groupId))].sort();
}

/** A group has signed its review when every item addressed to it carries one. */
export function groupSigned(items: readonly ExplorationItem[], groupId: string): boolean {
  return items.filter((i) => i.groupId === groupId).every((i) => i.groupReview);
}

/** A unit's report for a tracking round covers each of its items tracked in that round. */
export function reportedRound(items: readonly ExplorationItem[], unitId: string, round: number): boolean {
  return items.filter((i) => i.unitId === unitId && trackedIn(i, round)).every((i) => i.progress.some((p) => p.round === round));
}

/**
 * Every item named in `decisions` must be one of `expected`, and all of them must
 * be decided: a review is one signed sheet covering every item before it.
 * Returns the Chinese reason for refusing, or undefined.
 */
export function reviewRefusal(expected: readonly ExplorationItem[], decisions: ReadonlyArray<{ itemId: string }>, what: string): string | undefined {
  const ids = new Set(expected.map((i) => i.id));
  const named = decisions.map((d) => d.itemId);
  const stray = named.filter((id) => !ids.has(id));
  if (stray.length) return `${stray.join('、')}不在${what}范围内`;
  if (new Set(named).size !== named.length) return '同一事项只能有一个意见';
  const missing = expected.filter((i) => !named.includes(i.id));
  if (missing.length) return `${what}须对全部${expected.length}个事项提出意见，尚缺：${missing.map((i) => i.id).join('、')}`;
  return undefined;
}

export interface NewItem {
  unitId: string;
  title: string;
  summary: string;
  kind: ItemKind;
  groupId: string;
}

/**
 * Why an adjustment (第十二条(三)) is refused, or undefined: new items go to a
 * submitter with a city special group and a title new to that unit; withdrawn
 * items are approved ones still tracked.
 */
export function adjustmentRefusal(items: readonly ExplorationItem[], setup: ExplorationSetup, round: number, add: readonly NewItem[], withdraw: readonly string[]): string | undefined {
  if (add.length === 0 && withdraw.length === 0) return '调整须补充或撤销至少一个事项';
  for (const n of add) {
    if (!setup.submitters.includes(n.unitId)) return `“${n.unitId}”不是区县或市直有关部门`;
    if (!setup.groups.includes(n.groupId)) return `“${n.groupId}”不是市专项小组`;
    if (items.some((i) => i.unitId === n.unitId && i.title === n.title && !i.withdrawn)) return `该单位已有同名事项：${n.title}`;
  }
  if (new Set(add.map((n) => `${n.unitId}\u0000${n.title}`)).size !== add.length) return '补充的事项有重复';
  if (new Set(withdraw).size !== withdraw.length) return '撤销的事项有重复';
  for (const id of withdraw) {
    const i = items.find((x) => x.id === id);
    if (!i?.approval?.passed) return `${id}不是经审定的事项`;
    if (i.withdrawn) return `${id}已撤销`;
    if (!trackedIn(i, round) && !trackedIn(i, round + 1)) return `${id}不在追踪实施中`;
  }
  return undefined;
}

/** An item as a notice names it: the monthly progress texts stay out (notices do not quote them). */
export type NoticeItem = Omit<ExplorationItem, 'progress'>;

/**
 * The items a notice is about, taken from the workflow's state (never a
 * database read that may lag it): every item for the call's reminder (who has
 * submitted), the group reviews and the bulletin; what the stage before passed
 * for a review; the round's tracked items; the items adjusted.
 */
export function noticeItems(kind: ExplorationNoticeKind, items: readonly ExplorationItem[], round?: number, itemIds?: readonly string[]): NoticeItem[] {
  const pick = (): readonly ExplorationItem[] => {
    switch (kind) {
      case 'CALL_REMINDER':
      case 'REVIEW_REQUEST':
      case 'BULLETIN':
        return items;
      case 'OFFICE_REVIEW_REQUEST':
        return items.filter((i) => i.groupReview?.passed);
      case 'APPROVAL_REQUEST':
        return items.filter((i) => i.officeReview?.passed);
      case 'REPORT_REQUEST':
      case 'COMMENT':
        return items.filter((i) => trackedIn(i, round ?? 1));
      case 'ADJUSTMENT':
        return items.filter((i) => itemIds?.includes(i.id));
      default:
        return [];
    }
  };
  return pick().map(({ progress: _progress, ...i }) => i);
}
