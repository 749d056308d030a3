// The yearly innovation items (第十二条 激励探索创新), as pure data and rules:
// districts and city departments submit items in January (提报), each goes to
// the special group of its field for a first review signed by the group's
// leader, the reform office reviews what the groups passed, the director
// approves, a bulletin tells every submitter the outcome, and the approved items
// are tracked month by month (一月一汇总、一月一点评) until the year ends.
// Deterministic: used by the workflow, the API and the tests.

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
}

/** The month of tracking `round` (1, 2, …): what each unit with approved items owes, and the office's comment. */
export interface TrackingRound {
  round: number;
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

/** The groups that have items to review this year. */
export function reviewingGroups(items: readonly ExplorationItem[]): string[] {
  return [...new Set(items.map((i) => i.groupId))].sort();
}

/** A group has signed its review when every item addressed to it carries one. */
export function groupSigned(items: readonly ExplorationItem[], groupId: string): boolean {
  return items.filter((i) => i.groupId === groupId).every((i) => i.groupReview);
}

/** A unit's report for a tracking round covers each of its approved items. */
export function reportedRound(items: readonly ExplorationItem[], unitId: string, round: number): boolean {
  return approvedItems(items)
    .filter((i) => i.unitId === unitId)
    .every((i) => i.progress.some((p) => p.round === round));
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
