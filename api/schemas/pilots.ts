// Request bodies of the pilot routes (第十一条 (五)–(七), 第十三条) (zod). The
// OpenAPI document is generated from these schemas.
import { z } from 'zod';

const id = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);
const note = z.string().trim().max(2000).optional();
/** An instant with its offset: a time limit officials chose, to the minute. */
const instant = z.iso.datetime({ offset: true });
const level = z.enum(['CENTRAL', 'PROVINCIAL']);

/** 第十一条（五）: a pilot won from the central or provincial level, with its ledger. */
const WonPilot = z
  .object({
    origin: z.literal('WON'),
    /** The superior's approval 文号 (or another unique reference): registering it again finds the pilot. */
    reference: text(100),
    title: text(300),
    level,
    leadUnitId: id,
    participantUnitIds: z.array(id).max(100).default([]),
    leaderId: id,
    goals: text(4000),
    dueAt: instant,
    resultsUse: text(2000),
  })
  .strict();

/** 第十三条: a mature grassroots experience, to be reported upward and made a pilot. */
const Experience = z
  .object({
    origin: z.literal('EXPERIENCE'),
    reference: text(100),
    title: text(300),
    summary: text(4000),
    /** The district or department whose experience it is. */
    unitId: id,
    /** Applies city-wide: reported directly to both the central and provincial reform offices. */
    cityWide: z.boolean().default(false),
  })
  .strict();

export const PilotRegistration = z.discriminatedUnion('origin', [WonPilot, Experience]);
export type PilotRegistration = z.infer<typeof PilotRegistration>;

export const PilotList = z.object({ state: z.enum(['PROPOSED', 'RUNNING', 'ACCEPTANCE_REQUESTED', 'ACCEPTED', 'REPORTED']).optional() }).strict();

export const StepBody = z.object({ note }).strict();
export const ProgressBody = z.object({ note: text(4000), goodPractice: z.string().trim().min(1).max(4000).optional() }).strict();
export const RevisePlanBody = z
  .object({ goals: z.string().trim().min(1).max(4000).optional(), dueAt: instant.optional(), note })
  .strict()
  .refine((b) => b.goals || b.dueAt, { message: 'name new goals or a new time limit', path: ['goals'] });
export const AcceptanceBody = z.object({ approved: z.boolean(), note }).strict();
export const UpwardBody = z.object({ to: z.array(level).min(1).max(2), summary: text(4000), note }).strict();
