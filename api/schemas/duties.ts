// Request bodies of the routes of the standing duties (zod; 第十五条(一)(二),
// 第十七条(二)). The OpenAPI document is generated from these schemas.
import { z } from 'zod';

const id = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);
/** A Shanghai date. */
const day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date YYYY-MM-DD');

export const StartDutiesBody = z.object({ year: z.number().int().min(2000).max(2100).optional() }).strict();

export const PiecesBody = z
  .object({
    pieces: z
      .array(
        z
          .object({
            /** A medium of the policy's list (第十五条(一) 各媒体). */
            mediumId: id,
            title: text(300),
            publishedOn: day,
            link: z.url().max(1000).optional(),
            /** 期号/版面 or programme, where there is no link. */
            issue: text(200).optional(),
          })
          .strict()
          .refine((p) => !!p.link || !!p.issue, { message: 'a link or the issue (期号/版面)', path: ['link'] }),
      )
      .min(1)
      .max(100),
  })
  .strict();

export const BrochureBody = z
  .object({
    distributedOn: day,
    copies: z.number().int().min(1).max(10_000_000),
    /** Where it was handed out (第十五条(二) 集中发放). */
    places: z.array(text(200)).min(1).max(50),
    note: text(2000).optional(),
  })
  .strict();

export const TrainingPlanBody = z
  .object({
    /** 国内知名高校. */
    university: text(100),
    title: text(200),
    startsOn: day,
    endsOn: day,
    /** The city's and the districts' units that send participants. */
    participantUnitIds: z.array(id).min(1).max(100),
  })
  .strict()
  .refine((b) => b.startsOn <= b.endsOn, { message: 'ends on or after its first day', path: ['endsOn'] });

export const TrainingHeldBody = z.object({ attendees: z.number().int().min(1).max(10_000), note: text(2000).optional() }).strict();

export const RegularTrainingBody = z
  .object({ title: text(200), heldOn: day, participantUnitIds: z.array(id).min(1).max(100), note: text(2000).optional() })
  .strict();
