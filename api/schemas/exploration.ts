// Request bodies of the yearly innovation items' routes (zod; 第十二条). The
// OpenAPI document is generated from these schemas.
import { z } from 'zod';

const id = z.string().trim().min(1).max(100);
const note = z.string().trim().max(2000).optional();
const year = z.string().regex(/^\d{4}$/, 'e.g. 2027');

export const StartExplorationBody = z.object({ year: year.optional() }).strict();

const itemFields = {
  title: z.string().trim().min(1).max(300),
  summary: z.string().trim().min(10).max(5000),
  /** ACHIEVEMENT 探索创新性成果, PROPOSAL 亟需改革事项 (第十二条(一)). */
  kind: z.enum(['ACHIEVEMENT', 'PROPOSAL']),
  /** The special group of the item's field (第十二条(一) 根据申报事项分类). */
  groupId: id,
};

export const ItemBody = z.object(itemFields).strict();

/** 第十二条(三) 调整补充完善: an item the office adds to the tracking, the unit that implements it, and why. */
export const AddItemBody = z.object({ ...itemFields, unitId: id, reason: z.string().trim().min(2).max(2000) }).strict();
/** 第十二条(三): items the office withdraws from the tracking, and why. */
export const WithdrawItemsBody = z.object({ itemIds: z.array(id).min(1).max(50), reason: z.string().trim().min(2).max(2000) }).strict();

const decisions = z
  .array(z.object({ itemId: id, passed: z.boolean(), comment: z.string().trim().max(2000).optional() }).strict())
  .min(1)
  .max(500);

export const GroupReviewBody = z.object({ groupId: id.optional(), decisions }).strict();
export const ReviewBody = z.object({ decisions }).strict();
export const ProgressBody = z
  .object({ round: z.number().int().min(1).max(24), reports: z.array(z.object({ itemId: id, text: z.string().trim().min(1).max(5000) }).strict()).min(1).max(50) })
  .strict();
export const CommentBody = z.object({ round: z.number().int().min(1).max(24), text: z.string().trim().min(1).max(10000) }).strict();
export const ClosePhaseBody = z.object({ phase: z.enum(['CALL', 'GROUP_REVIEW']), note }).strict();
