// Request bodies of the innovation routes (zod; 第十四条). The OpenAPI
// document is generated from these schemas.
import { z } from 'zod';
import { HALF_YEAR } from '../../workflows/innovation/ids';
import { pageQuery } from '../pagination';

const id = z.string().trim().min(1).max(100);
const note = z.string().trim().max(2000).optional();
const title = z.string().trim().min(1).max(300);
const instant = z.iso.datetime({ offset: true }).or(z.iso.date());
/** A web link only: a javascript:, data: or vbscript: "link" would run in the console of whoever opens it. */
const link = z.url({ protocol: /^https?$/, error: '材料链接必须是 http 或 https 网址' }).max(1000);

export const RolloutListQuery = z.object({ selectionId: id.optional(), ...pageQuery() }).strict();

export const StartSelectionBody = z.object({ half: z.string().regex(HALF_YEAR, 'e.g. 2026-H2') }).strict();

export const CandidateBody = z
  .object({
    title,
    summary: z.string().trim().min(10).max(5000),
    material: z
      .array(z.object({ name: z.string().trim().min(1).max(200), url: link.optional(), text: z.string().max(20000).optional() }).strict())
      .min(1)
      .max(20),
    leadUnitId: id,
    leaderInChargeId: id.optional(),
    townshipApplies: z.boolean().default(true),
  })
  .strict();

export const BallotBody = z.object({ candidateIds: z.array(id).min(1).max(100) }).strict();

/** A mainland mobile number: the public voter (an ID number cannot receive a code, so it is not accepted). */
const phone = z.string().trim().regex(/^1[3-9]\d{9}$/, '11-digit mobile number');

export const VoteCodeBody = z.object({ phone }).strict();

/** A citizen's vote: the phone and the code sent to it (only an HMAC of the number is stored). */
export const PublicBallotBody = z
  .object({
    phone,
    code: z.string().trim().regex(/^\d{6}$/, '6 digits'),
    candidateIds: z.array(id).min(1).max(100),
  })
  .strict();

export const OpinionBody = z.object({ candidateId: id, agree: z.boolean(), comment: note }).strict();
export const CloseRoundBody = z.object({ phase: z.enum(['CALL', 'MUTUAL_VOTE', 'SECOND_VOTE', 'OPINIONS']), note }).strict();
export const ApproveBody = z
  .object({ candidateIds: z.array(id).min(1).max(100).optional(), opinionDocNumber: z.string().trim().min(1).max(100), opinionTitle: title, note })
  .strict();

export const DocumentBody = z.object({ docNumber: z.string().trim().min(1).max(100).optional(), title, note }).strict();
export const ApprovalBody = z.object({ approved: z.boolean(), note }).strict();
export const MeetingBody = z.object({ heldAt: instant, place: z.string().trim().max(300).optional(), note }).strict();
export const DistrictMeetingBody = MeetingBody.extend({ districtId: id.optional() }).strict();
export const AgreementBody = z.object({ agree: z.boolean(), comment: note }).strict();
/** The reform office's acceptance summary with its verdict on every unit that reported (第十四条). */
export const SummaryBody = z
  .object({
    docNumber: z.string().trim().min(1).max(100).optional(),
    title,
    note,
    verdicts: z.array(z.object({ unitId: id, passed: z.boolean(), comment: note }).strict()).max(200),
  })
  .strict();
export const DistrictPlanBody = z.object({ districtId: id.optional(), opinionTitle: title, planTitle: title, note }).strict();
export const DistrictApprovalBody = z.object({ districtId: id.optional(), approved: z.boolean(), note }).strict();
export const TownshipBody = z.object({ districtId: id.optional(), townshipIds: z.array(id).min(1).max(50), note }).strict();
export const ProblemsBody = z
  .object({ problems: z.array(z.object({ unitId: id, description: z.string().trim().min(2).max(2000) }).strict()).min(1).max(50), note })
  .strict();
export const RectificationBody = z.object({ dutyName: z.string().trim().min(1).max(200), plan: z.string().trim().min(2).max(20000), note }).strict();
export const AcceptanceReportBody = z.object({ unitId: id.optional(), report: z.string().trim().min(2).max(50000), note }).strict();
