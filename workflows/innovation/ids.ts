// Workflow ids of the innovation family, derived from business identity so a
// repeated start finds the running workflow (see common/ids.ts).

/** The half year a selection belongs to, e.g. "2026-H2". */
export const HALF_YEAR = /^(20\d{2})-H([12])$/;

/** The half year of an instant on the Shanghai calendar: "2026-H2". */
export function shanghaiHalf(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000);
  return `${local.getUTCFullYear()}-H${local.getUTCMonth() < 6 ? 1 : 2}`;
}

export function selectionWorkflowId(selectionId: string): string {
  return `selection:${selectionId}`;
}

/** The rollout of the `rank`-th selected experience: "2026-H2-01". */
export function rolloutId(selectionId: string, rank: number): string {
  return `${selectionId}-${String(rank).padStart(2, '0')}`;
}

export function rolloutWorkflowId(id: string): string {
  return `rollout:${id}`;
}
