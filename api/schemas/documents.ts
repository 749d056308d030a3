// Request bodies of the document routes (zod). The OpenAPI document is
// generated from these schemas.
import { z } from 'zod';

const id = z.string().trim().min(1).max(100);
const instant = z.iso.datetime({ offset: true }).or(z.iso.date());
const note = z.string().trim().max(2000).optional();

export const DocumentArrival = z
  .object({
    level: z.enum(['CENTRAL', 'PROVINCIAL']),
    title: z.string().trim().min(1).max(300),
    docNumber: z.string().trim().min(1).max(100),
    issuedAt: instant,
    receivedAt: instant.optional(),
    leadUnitId: id.optional(),
    participantUnitIds: z.array(id).max(100).default([]),
    /** For a PROVINCIAL document: the CENTRAL document it implements. */
    implementsDocNumber: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  // The clocks count from these two instants (第五条): a document cannot reach the city before it was issued.
  .refine((a) => !a.receivedAt || new Date(a.issuedAt).getTime() <= new Date(a.receivedAt).getTime(), {
    message: 'receivedAt must not be before issuedAt',
    path: ['receivedAt'],
  });
export type DocumentArrival = z.infer<typeof DocumentArrival>;

export const StepBody = z.object({ note }).strict();
export const ReviewBody = z.object({ approved: z.boolean(), note }).strict();
export const LedgerTaskBody = z
  .object({ title: z.string().trim().min(1).max(300), unitId: id, ownerId: id, dueAt: instant })
  .strict();
export const OpenLedgerBody = z
  .object({
    leadLeaderId: id,
    draftingUnitId: id,
    timeline: z.array(z.object({ milestone: z.string().trim().min(1).max(200), dueAt: instant }).strict()).max(50),
    // 第四条（二）: the ledger decomposes the work into tasks for departments and named persons.
    tasks: z.array(LedgerTaskBody).min(1).max(200),
    note,
  })
  .strict();
export const IssuanceBody = z
  .object({
    municipalDocNumber: z.string().trim().min(1).max(100),
    municipalTitle: z.string().trim().min(1).max(300),
    /** 印发到区县: the districts it goes to; absent, every district of the city. */
    districtIds: z.array(id).min(1).max(50).optional(),
    note,
  })
  .strict();
export const AssignLeadBody = z.object({ leadUnitId: id, note }).strict();
export const DistributionAckBody = z
  .object({ /** The district acknowledging: the caller's own unit unless an administrator names one. */ districtId: id.optional(), note })
  .strict();
export const ExemptionBody = z.object({ reason: z.string().trim().min(2).max(2000) }).strict();
export const ReassignBody = z
  .object({ target: z.string().trim().min(1).max(200).default('document'), toOfficialIds: z.array(id).min(1).max(20), note })
  .strict();
export const ManualChaseBody = z.object({ obligation: z.string().trim().min(1).max(200), note }).strict();
export const TaskNoteBody = z.object({ note }).strict();
