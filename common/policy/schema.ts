import { z } from 'zod';
import type { DurationSpec } from './duration';

export const DurationSchema: z.ZodType<DurationSpec> = z
  .object({
    months: z.number().int().min(0).max(24).optional(),
    weeks: z.number().int().min(0).max(104).optional(),
    days: z.number().int().min(0).max(730).optional(),
    hours: z.number().int().min(0).max(24 * 730).optional(),
    seconds: z.number().int().min(0).max(86_400).optional(),
  })
  .strict()
  .refine((d) => (d.months ?? 0) + (d.weeks ?? 0) + (d.days ?? 0) + (d.hours ?? 0) + (d.seconds ?? 0) > 0, {
    message: 'a duration must be longer than zero',
  });
