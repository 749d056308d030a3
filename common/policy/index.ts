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
import { PilotSeekingPolicy, defaultPilotSeekingPolicy } from './pilotSeeking';
import { DutiesPolicy, defaultDutiesPolicy } from './duties';
import { defaultCalendarPolicy } from './calendars';
import { CalendarSchema } from './schema';

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
    pilotSeeking: PilotSeekingPolicy,
    /** 第十五条(一)(二), 第十七条(二): the standing duties. */
    duties: DutiesPolicy,
    /** Deadlines as dates on the working-day calendar (./calendar.ts); the office publishes a new year as a new version. */
    calendar: CalendarSchema,
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
  pilotSeeking: defaultPilotSeekingPolicy,
  duties: defaultDutiesPolicy,
  calendar: defaultCalendarPolicy,
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
export * from './pilotSeeking';
export * from './duties';
export * from './calendar';
export * from './calendars';
