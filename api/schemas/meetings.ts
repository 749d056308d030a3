// Request bodies of the meeting routes (zod; 第三条 第一议题, 第四条(一)).
import { z } from 'zod';
import { MEETING_KINDS } from '../../workflows/meeting/state';

const id = z.string().trim().min(1).max(100);
const instant = z.iso.datetime({ offset: true });

export const SuperiorMeetingArrival = z
  .object({
    level: z.enum(['CENTRAL', 'PROVINCIAL']),
    /** e.g. "中央全面深化改革委员会第十次会议". */
    title: z.string().trim().min(1).max(300),
    heldAt: instant,
    /** The bodies that owe a conveying meeting; default: every unit of the policy's kinds. */
    unitIds: z.array(id).min(1).max(500).optional(),
  })
  .strict();
export type SuperiorMeetingArrival = z.infer<typeof SuperiorMeetingArrival>;

export const BodyMeetingBody = z
  .object({
    /** The body that held it; default the caller's unit (only administrators record for another). */
    unitId: id.optional(),
    kind: z.enum(MEETING_KINDS),
    title: z.string().trim().min(1).max(300),
    heldAt: instant,
    /** 第一议题 as on the agenda. */
    firstItem: z.string().trim().min(1).max(1000),
    /** The superior meeting the first item conveyed (its id), if it conveyed one. */
    conveys: id.optional(),
  })
  .strict();
export type BodyMeetingBody = z.infer<typeof BodyMeetingBody>;
