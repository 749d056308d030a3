// Query parameters of the administrator routes (zod). Values that end up in a
// Temporal visibility query accept only safe characters: no quotes, no spaces.
import { z } from 'zod';
import { pageQuery } from '../pagination';

const code = z.string().trim().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '只允许字母、数字和 _ . : -');
const instant = z.iso.datetime({ offset: true }).or(z.iso.date());
const bool = z.enum(['true', 'false']);

export const WorkflowIdParams = z.object({ workflowId: z.string().min(1).max(300) });

export const TimelineQuery = z
  .object({
    /** true: leave out bookkeeping events (state writes, re-armed timers, first-try activity successes). */
    brief: bool.optional(),
    /** false: only this workflow, without the linked document's events. */
    related: bool.optional(),
  })
  .strict();

export const AdminWorkflowQuery = z
  .object({
    family: code.optional(),
    /** Execution status in Temporal. */
    status: z.enum(['running', 'completed', 'failed', 'canceled', 'terminated', 'continued', 'timedout']).optional(),
    /** The family's business state (DubanState), e.g. ASSIGNED. */
    state: code.optional(),
    unit: code.optional(),
    level: z.enum(['CENTRAL', 'PROVINCIAL']).optional(),
    overdue: bool.optional(),
    from: instant.optional(),
    to: instant.optional(),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
    nextPageToken: z.string().regex(/^[A-Za-z0-9_-]{1,4000}$/).optional(),
  })
  .strict();
export type AdminWorkflowQuery = z.infer<typeof AdminWorkflowQuery>;

export const OverdueQuery = z
  .object({
    withinDays: z.coerce.number().int().min(0).max(366).default(7),
    unit: code.optional(),
    family: code.optional(),
  })
  .strict();

export const AuditQuery = z
  .object({
    official: code.optional(),
    from: instant.optional(),
    to: instant.optional(),
    /** An exact HTTP status (403) or a class (4xx). */
    status: z.string().regex(/^[1-5](\d\d|xx)$/).optional(),
    /** Part of the action, e.g. "POST /documents/:id/draft" or "draft". */
    action: z.string().trim().min(1).max(200).optional(),
    /** Only requests about this subject (document id, notice id...). */
    subject: z.string().trim().min(1).max(200).optional(),
    ...pageQuery(100, 500),
  })
  .strict();
