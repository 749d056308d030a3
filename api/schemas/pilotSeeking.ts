// Request bodies of the routes of seeking pilots (zod; 第十一条(一)–(四)). The
// OpenAPI document is generated from these schemas.
import { z } from 'zod';

const id = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);
const units = z.array(id).max(50);
const level = z.enum(['CENTRAL', 'PROVINCIAL']);

export const QuarterParam = z.string().regex(/^\d{4}-Q[1-4]$/, 'e.g. 2027-Q1');

export const StartSeekingBody = z.object({ quarter: QuarterParam.optional() }).strict();

export const LeadsBody = z
  .object({
    leads: z
      .array(
        z
          .object({
            title: text(300),
            /** CENTRAL 中央 or PROVINCIAL 省: who plans the pilot. */
            level,
            /** The planning body, e.g. 国家发展改革委. */
            source: text(200),
            /** The unit that takes charge of the lead (牵头). */
            leadUnitId: id,
            participantUnitIds: units.default([]),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();

export const ContactReportBody = z
  .object({
    /** The month within the quarter: 1, 2 or 3. */
    month: z.number().int().min(1).max(3),
    contacts: text(5000),
    learned: text(5000),
    requests: text(5000),
  })
  .strict();

export const RowBody = z
  .object({
    title: text(300),
    level,
    source: text(200),
    participantUnitIds: units.default([]),
    /** 责任领导: an official of the caller's unit. */
    leaderId: id,
    progress: text(5000),
  })
  .strict();

export const RowUpdateBody = z
  .object({
    progress: text(5000),
    leaderId: id.optional(),
    participantUnitIds: units.optional(),
    /** WON: the office then registers the pilot (POST /pilots); DROPPED: `note` gives the reason. */
    outcome: z.enum(['WON', 'DROPPED']).optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine((b) => b.outcome !== 'DROPPED' || !!b.note, { message: 'a dropped pilot needs its reason in note', path: ['note'] });

export const BulletinBody = z.object({ note: z.string().trim().min(1).max(5000).optional() }).strict();
