// Every workflow family the administrators' views know, in one list: a new
// family adds its descriptor (api/families/<family>.ts, see family.ts) here.
import type { Db } from '../../common/db';
import { cycleFamily } from './cycle';
import { documentFamily } from './document';
import { dutiesFamily } from './duties';
import { explorationFamily } from './exploration';
import { evaluationFamily } from './evaluation';
import type { Family, Subject } from './family';
import { meetingFamily } from './meeting';
import { pilotFamily } from './pilot';
import { pilotSeekingFamily } from './pilotSeeking';
import { rolloutFamily } from './rollout';
import { selectionFamily } from './selection';

export type { Family, Subject, TimelineLabel } from './family';

export const FAMILIES: readonly Family[] = [documentFamily, cycleFamily, selectionFamily, rolloutFamily, explorationFamily, meetingFamily, evaluationFamily, pilotFamily, pilotSeekingFamily, dutiesFamily];

/** A workflow's family, by its workflow type or its family key (DubanFamily, Obligation.family, Notice.subjectType). */
export function familyOf(workflowType: string | undefined, family?: string): Family | undefined {
  return FAMILIES.find((f) => f.workflowType === workflowType) ?? FAMILIES.find((f) => f.family === family);
}

/** A notice kind's Chinese instrument name in its family (提示单, 催办单…). */
export function noticeKindLabel(family: string, kind: string): string {
  return familyOf(undefined, family)?.noticeKinds[kind] ?? kind;
}

/** The subjects of these workflows, whatever their family, by workflow id. */
export async function subjectsOf(db: Db, workflowIds: string[]): Promise<Map<string, Subject>> {
  const ids = [...new Set(workflowIds)];
  if (ids.length === 0) return new Map();
  const found = await Promise.all(FAMILIES.map((f) => f.subjects(db, ids)));
  return new Map(found.flat().map((s) => [s.workflowId, s]));
}

/** The workflow an official names: a workflow id, or a subject's id or reference (文号, month, half year, rollout id). */
export async function workflowIdNamed(db: Db, key: string): Promise<string> {
  for (const f of FAMILIES) {
    const id = await f.workflowIdOf(db, key);
    if (id) return id;
  }
  return key;
}
