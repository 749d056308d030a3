// Policy of the meeting family (第三条 第一议题, 第四条(一) "第一时间"学习传达).
import { z } from 'zod';
import { DeadlineSchema as DeadlineSpec, DurationSchema as DurationSpec } from './schema';

/** The unit kinds that hold the meetings 第三条(一)–(四) lists, so owe one after a superior meeting. */
export const OwingUnitKind = z.enum(['LEADERSHIP', 'DISTRICT', 'SPECIAL_GROUP', 'DEPARTMENT']);

export const MeetingPolicy = z
  .object({
    /** 第四条(一): "第一时间" — each listed body holds its conveying meeting within this long of the registration. */
    conveyWithin: DeadlineSpec,
    /** Reminders this long before the deadline. */
    remindBefore: z.array(DurationSpec).max(5),
    /** After the deadline, how often the units still owing are chased (never silence). */
    chaseEvery: DurationSpec,
    /** Who owes a conveying meeting when the registration names no units. */
    owingUnitKinds: z.array(OwingUnitKind).min(1),
    /** Traffic light: an obligation due within this window is yellow. */
    warningWindow: DurationSpec,
  })
  .strict();
export type MeetingPolicy = z.infer<typeof MeetingPolicy>;

/** 第四条(一) names no number of days for "第一时间"; one week is the office's practice. */
export const defaultMeetingPolicy: MeetingPolicy = {
  conveyWithin: { weeks: 1 },
  remindBefore: [{ days: 2 }],
  chaseEvery: { weeks: 1 },
  owingUnitKinds: ['LEADERSHIP', 'DISTRICT', 'SPECIAL_GROUP', 'DEPARTMENT'],
  warningWindow: { days: 2 },
};
