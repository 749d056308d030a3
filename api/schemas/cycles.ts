// Request bodies of the monthly 六个一 cycle's routes (zod); the OpenAPI
// document is generated from these schemas.
import { z } from 'zod';
import { CONTENT_AREAS } from '../../workflows/cycle/state';

const id = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);
const kind = z.enum(['DISTRICT', 'SPECIAL_GROUP']);

export const MonthParam = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM（2000–2099年）');
export const YearParam = z.coerce.number().int().min(2000).max(2100);

/** 年初确定的路线图、时间表 (第六条（一）). */
export const RoadmapBody = z
  .object({
    tasks: z
      .array(
        z
          .object({
            code: text(50),
            unitId: id,
            title: text(300),
            milestones: z.array(z.object({ month: z.number().int().min(1).max(12).optional(), target: text(500) }).strict()).max(24).default([]),
          })
          .strict(),
      )
      .max(2000),
  })
  .strict()
  .refine((b) => new Set(b.tasks.map((t) => t.code)).size === b.tasks.length, { message: '任务编号不能重复', path: ['tasks'] });

/** 年度督导评价办法: checkpoints, weights, scoring methods, bonus items. */
export const IndicatorSetBody = z
  .object({
    indicators: z
      .array(
        z
          .object({
            code: z.string().trim().regex(/^[A-Z][A-Z0-9_]{0,49}$/, '指标编号为大写字母、数字和下划线'),
            name: text(200),
            weight: z.number().positive().max(100),
            method: z.enum(['REPORT_ON_TIME', 'DOCUMENTS_ON_TIME', 'LEDGER_CLOSED', 'INSPECTION_ISSUES', 'INSPECTOR']),
            appliesTo: z.array(kind).min(1).max(2),
            bonus: z.boolean().optional(),
            description: z.string().trim().max(1000).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict()
  .refine((b) => new Set(b.indicators.map((i) => i.code)).size === b.indicators.length, { message: '指标编号不能重复', path: ['indicators'] });

export const StartCycleBody = z.object({ month: MonthParam.optional(), seed: z.string().trim().min(1).max(100).optional() }).strict();

export const ReportBody = z
  .object({
    /** Defaults to the caller's own unit. */
    unitId: id.optional(),
    summary: text(5000),
    items: z.array(z.object({ taskCode: text(50), progress: text(2000), status: z.enum(['ON_TRACK', 'DELAYED', 'DONE']) }).strict()).max(200).default([]),
  })
  .strict();

export const InspectionBody = z
  .object({
    unitId: id,
    teamName: text(100),
    leaderId: id,
    /**
     * 第十条（一） 互督互查: the peer district or city special group inspecting (its own officials record it, the leader
     * is one of them); absent: the reform office inspects (以上督下).
     */
    peerUnitId: id.optional(),
    /** "1+1+n": the reform office's members (at least one unless the inspection is mutual), one special group, n departments. */
    reformOfficeIds: z.array(id).max(20).default([]),
    specialGroupId: id.optional(),
    departmentIds: z.array(id).max(30).default([]),
    /** 第八条: every item names its content area. */
    issues: z
      .array(z.object({ title: text(300), detail: z.string().trim().max(2000).optional(), area: z.enum(CONTENT_AREAS, { message: `督查内容须为${CONTENT_AREAS.join('、')}之一（第八条）` }) }).strict())
      .max(100),
    /** 第十条（三）: grassroots opinions and suggestions heard (督查与调研相结合), with the unit heard. */
    opinions: z.array(z.object({ unit: text(100), text: text(2000) }).strict()).max(100).default([]),
  })
  .strict()
  .refine((b) => !!b.peerUnitId || b.reformOfficeIds.length > 0, { message: '市委改革办督查须有改革办成员参加（互督互查除外）', path: ['reformOfficeIds'] });

/** 第六条（四）(3): an on-site promotion meeting in an advanced district. */
export const PromotionMeetingBody = z
  .object({
    heldAt: z.iso.datetime({ offset: true }),
    districtId: id,
    shown: text(2000),
    attendeeUnitIds: z.array(id).min(1).max(100),
  })
  .strict()
  .refine((b) => new Set(b.attendeeUnitIds).size === b.attendeeUnitIds.length, { message: '参会单位不能重复', path: ['attendeeUnitIds'] });

export const SignBody = z.object({ party: z.enum(['UNIT', 'LEADER']) }).strict();

export const ScoreBody = z
  .object({
    unitId: id,
    indicatorCode: text(50),
    value: z.number().min(0).max(100),
    /** An override replaces any score, computed or entered; it needs a reason. */
    override: z.boolean().default(false),
    reason: z.string().trim().min(2).max(2000).optional(),
  })
  .strict()
  .refine((b) => !b.override || !!b.reason, { message: '调整评分须说明理由', path: ['reason'] });

const rating = z.number().int().min(1).max(100);
export const TeamRatingBody = z
  .object({ teamName: text(100), fairMethod: rating, fairOrder: rating, thorough: rating, clean: rating, comment: z.string().trim().max(2000).optional() })
  .strict();

export const DiagnosisBody = z.object({ report: z.string().trim().min(10).max(20000) }).strict();
export const CloseBody = z.object({ note: z.string().trim().max(2000).optional() }).strict();

/** 第六条（五）(3): a highlight recommended upward: whose (districts; none: the city's), what, through which channel, to whom, when. */
export const UpwardBody = z
  .object({
    unitIds: z.array(id).max(30).default([]),
    highlight: text(2000),
    channel: text(100),
    recipient: text(100),
    sentAt: z.iso.datetime({ offset: true }),
  })
  .strict();
