// Administrators inspect everything (issue #6): a readable timeline of any
// workflow, workflow search over Temporal visibility, the overdue board across
// families, and the append-only audit log (read-only: there is no route that
// changes it). Reform-office administrators see everything; a unit's
// officials see the overdue board and timelines of their own unit's items.
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Db } from '../../common/db';
import { Prisma } from '../../generated/prisma/client';
import { overdueBoard } from '../admin/overdue';
import { searchWorkflows } from '../admin/search';
import { buildTimeline, concernedUnits } from '../admin/timeline';
import { caller, isAdmin, requireAdmin } from '../auth';
import { ApiError } from '../errors';
import { workflowIdNamed } from '../families';
import { describe } from '../openapi';
import { pageArgs, pageOf } from '../pagination';
import { resolvePolicy } from '../../common/policy/resolve';
import { AdminWorkflowQuery, AuditQuery, OverdueQuery, TimelineQuery, WorkflowIdParams } from '../schemas/admin';
import { answers, AuditPage, OverdueBoard, Timeline, WorkflowSearch } from '../schemas/views';

export interface AdminDeps {
  db: Db;
  client: Client;
  temporalUiUrl: string;
  /** The clock of "overdue"; tests on the time-skipping server pass the server's time. */
  now: () => Date | Promise<Date>;
}

const tags = ['管理'];

describe({
  method: 'get',
  path: '/admin/workflows',
  operationId: 'searchWorkflows',
  summary: "Search workflows by family, status, unit, document level, overdue, time range (Temporal search attributes; administrators)",
  errors: [403],
  label: '按流程类别、状态、单位、文件层级、是否逾期、时间范围检索流程（Temporal 检索属性）',
  tags,
  request: { query: AdminWorkflowQuery },
  responses: answers(WorkflowSearch),
});
describe({
  method: 'get',
  path: '/admin/workflows/:workflowId/timeline',
  operationId: 'getTimeline',
  summary: "A workflow's timeline: Temporal history, notices, recorded steps and the audit log in time order",
  description:
    'Instead of a workflow id, a 文号, document id, month (`YYYY-MM`), half year or rollout id names the same workflow. ' +
    "A unit's officials read the timelines of items that concern their unit (others answer 404, like a missing one), without " +
    "linked items that do not concern it, request IP addresses, raw delivery and activity failure texts or the Temporal UI link (administrators only).",
  label: '流程时间线：Temporal 事件历史与通知、办理记录、审计日志合并，按时间排序（也可用文号、文件 id、月份、评选或推广事项编号代替流程 id）',
  tags,
  request: { params: WorkflowIdParams, query: TimelineQuery },
  responses: answers(Timeline),
});
describe({
  method: 'get',
  path: '/admin/overdue',
  operationId: 'getOverdueBoard',
  summary: 'Overdue and soon-due obligations of every family (a unit sees its own)',
  label: '逾期与临期督办事项看板（全部流程类别）',
  errors: [403],
  tags, request: { query: OverdueQuery }, responses: answers(OverdueBoard) });
describe({
  method: 'get',
  path: '/admin/audit',
  operationId: 'listAuditLog',
  summary: 'The append-only audit log (administrators)',
  label: '审计日志查询（只读）',
  errors: [403],
  tags, request: { query: AuditQuery }, responses: answers(AuditPage) });

export function adminRouter(deps: AdminDeps): Router {
  const { db } = deps;
  const r = Router();

  r.get('/admin/workflows', async (req, res) => {
    requireAdmin(caller(req));
    const q = AdminWorkflowQuery.parse(req.query);
    res.json(await searchWorkflows(deps, q, await deps.now()));
  });

  r.get('/admin/workflows/:workflowId/timeline', async (req, res) => {
    const c = caller(req);
    const { workflowId: key } = WorkflowIdParams.parse(req.params);
    const q = TimelineQuery.parse(req.query);
    // An item's id or reference (文号, month, half year, rollout id) also names its workflow:
    // one call answers "what happened to document X" or "to the month's supervision".
    const workflowId = await workflowIdNamed(db, key);
    // A unit's officials see the timelines of items that concern their unit. Checked before the
    // timeline is built (histories, audit rows), and "missing" and "not yours" are one answer.
    const admin = isAdmin(c);
    if (!admin && !(await concernedUnits(deps, workflowId))?.has(c.unitId)) throw new ApiError('NOT_FOUND', `未找到 ${key} 的流程（不存在或无权查看）`);
    res.json(await buildTimeline(deps, workflowId, { brief: q.brief === 'true', related: q.related !== 'false', viewerUnitId: admin ? undefined : c.unitId }));
  });

  r.get('/admin/overdue', async (req, res) => {
    const c = caller(req);
    const q = OverdueQuery.parse(req.query);
    let unitId = q.unit;
    if (!isAdmin(c)) {
      if (unitId && unitId !== c.unitId) throw new ApiError('FORBIDDEN', '只能查看本单位的逾期事项');
      unitId = c.unitId;
    }
    const policy = await resolvePolicy(db);
    res.json(await overdueBoard(db, policy, { withinDays: q.withinDays, unitId, family: q.family, now: await deps.now() }));
  });

  r.get('/admin/audit', async (req, res) => {
    requireAdmin(caller(req));
    const q = AuditQuery.parse(req.query);
    const where: Prisma.AuditLogWhereInput = {};
    if (q.official) where.officialId = q.official;
    if (q.from || q.to) where.at = { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lte: new Date(q.to) } : {}) };
    if (q.status) {
      where.status = q.status.endsWith('xx') ? { gte: Number(q.status[0]) * 100, lte: Number(q.status[0]) * 100 + 99 } : Number(q.status);
    }
    if (q.action) where.action = { contains: q.action, mode: 'insensitive' };
    if (q.subject) where.OR = [{ subjectId: q.subject }, { path: { contains: `/${encodeURIComponent(q.subject)}` } }];
    const rows = await db.auditLog.findMany({
      where,
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      ...pageArgs(q),
    });
    const { page, nextCursor } = pageOf(rows, q.limit);
    const ids = [...new Set(page.map((p) => p.officialId).filter((x): x is string => !!x))];
    const officials = await db.official.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, unit: { select: { name: true } } } });
    const who = new Map(officials.map((o) => [o.id, o]));
    res.json({
      items: page.map((p) => {
        const o = p.officialId ? who.get(p.officialId) : undefined;
        return { ...p, official: o ? { id: o.id, name: o.name, unitName: o.unit.name } : null, outcome: p.status < 400 ? '成功' : '被拒绝或失败' };
      }),
      nextCursor,
    });
  });

  return r;
}
