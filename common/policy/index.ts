// The versioned, validated policy a workflow receives when it starts. Rule
// durations and thresholds live here, never in workflow code; a district may
// adopt its own values (第二十一条) as a new policy version in its scope.
import { z } from 'zod';
import { DocumentPolicy, defaultDocumentPolicy } from './document';
import { InnovationPolicy, defaultInnovationPolicy } from './innovation';
import { CyclePolicy, defaultCyclePolicy } from './cycle';
import { ExplorationPolicy, defaultExplorationPolicy } from './exploration';
import { MeetingPolicy, defaultMeetingPolicy } from './meeting';
import { EvaluationPolicy, defaultEvaluationPolicy } from './evaluation';
import { PilotPolicy, defaultPilotPolicy } from './pilot';

export const POLICY_SCHEMA_VERSION = 1;

export const Policy = z
  .object({
    schemaVersion: z.literal(POLICY_SCHEMA_VERSION),
    /** Human-readable identity, e.g. "zibo-2017" or "zhangdian-2026-03". */
    version: z.string().min(1).max(100),
    /** "city" or a unit id (第二十一条). */
    scope: z.string().min(1).max(100),
    timeZone: z.literal('Asia/Shanghai'),
    document: DocumentPolicy,
    innovation: InnovationPolicy,
    cycle: CyclePolicy,
    exploration: ExplorationPolicy,
    meeting: MeetingPolicy,
    evaluation: EvaluationPolicy,
    pilot: PilotPolicy,
  })
  .strict();
export type Policy = z.infer<typeof Policy>;

export const defaultPolicy: Policy = {
  schemaVersion: POLICY_SCHEMA_VERSION,
  version: 'zibo-2017',
  scope: 'city',
  timeZone: 'Asia/Shanghai',
  document: defaultDocumentPolicy,
  innovation: defaultInnovationPolicy,
  cycle: defaultCyclePolicy,
  exploration: defaultExplorationPolicy,
  meeting: defaultMeetingPolicy,
  evaluation: defaultEvaluationPolicy,
  pilot: defaultPilotPolicy,
};

export * from './duration';
export * from './schema';
export * from './document';
export * from './innovation';
export * from './cycle';
export * from './exploration';
export * from './meeting';
export * from './evaluation';
export * from './pilot';
