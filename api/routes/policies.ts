// Policies: the rule durations and thresholds as versioned data. The reform
// office adopts a new city version; a district or a department may adopt its
// own (第二十一条). A version is never changed: a new workflow starts with the
// newest city version and every unit's own newest version, each duty running
// under the policy of the unit that owes it (common/policy/scope.ts); running
// workflows keep the policies they started with, except the working-day
// calendar: a city version with a new one signals it to them (../calendarPublication.ts).
import type { Client } from '@temporalio/client';
import { isDeepStrictEqual } from 'node:util';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../common/db';
import { defaultPolicy, Policy } from '../../common/policy';
import type { Prisma } from '../../generated/prisma/client';
import { caller, requireAdmin } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import { pageArgs, pageOf, pageQuery } from '../pagination';
import { parseStoredPolicy, resolvePolicy } from '../../common/policy/resolve';
import { answers, PolicyPublished, PolicyVersions } from '../schemas/views';
import { publishCalendar } from '../calendarPublication';

const tags = ['政策参数'];
const OWN_POLICY_KINDS = ['DISTRICT', 'DEPARTMENT'] as const;
const VersionsQuery = z.object({ scope: z.string().trim().min(1).max(100).default('city'), ...pageQuery() }).strict();

describe({ method: 'get', path: '/policies', operationId: 'getPolicies', summary: "A scope's active policy, its defaults and its versions", label: '查看某范围现行政策参数及历史版本', tags, request: { query: VersionsQuery }, responses: answers(PolicyVersions) });
describe({ method: 'post', path: '/policies', operationId: 'publishPolicy', summary: 'Publish a new policy version for the city, a district or a department (article 21; administrators)', errors: [409], label: '发布新的政策参数版本（市级、区县或部门实施细则，第二十一条）', tags, request: { body: { content: { 'application/json': { schema: Policy } } } }, responses: { ...answers(PolicyPublished, 201), ...answers(PolicyPublished) } });

export function policiesRouter(db: Db, client: Client): Router {
  const r = Router();

  /** The calendar version of the city policy in force before `at`. */
  const calendarBefore = async (at: Date): Promise<string> => {
    const row = await db.policyVersion.findFirst({ where: { scope: 'city', createdAt: { lt: at } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    return row ? parseStoredPolicy(row.body).calendar.version : defaultPolicy.calendar.version;
  };

  r.get('/policies', async (req, res) => {
    const q = VersionsQuery.parse(req.query);
    const rows = await db.policyVersion.findMany({
      where: { scope: q.scope },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, scope: true, version: true, createdBy: true, createdAt: true },
      ...pageArgs(q),
    });
    const { page, nextCursor } = pageOf(rows, q.limit);
    res.json({ scope: q.scope, active: await resolvePolicy(db, q.scope), defaults: defaultPolicy, versions: page, nextCursor });
  });

  r.post('/policies', async (req, res) => {
    const c = caller(req);
    requireAdmin(c);
    const policy = Policy.parse(req.body ?? {});
    // 第二十一条: 各区县、各有关部门 adopt their own implementing rules.
    if (policy.scope !== 'city' && !(await db.unit.findFirst({ where: { id: policy.scope, kind: { in: [...OWN_POLICY_KINDS] } } }))) {
      throw new ApiError('VALIDATION_FAILED', '政策范围必须是 city、一个区县或一个市直部门', [{ path: ['scope'], message: 'unknown district or department' }]);
    }
    const answer = async (status: 200 | 201, row: { id: string; scope: string; version: string; createdAt: Date }) => {
      // The calendar is the city's: a city version with another calendar than the version before it
      // reaches the running workflows (a retried request finishes what a crash may have cut short).
      const calendarPublished = policy.scope === 'city' && (await calendarBefore(row.createdAt)) !== policy.calendar.version ? await publishCalendar(client, policy.calendar, c.officialId) : false;
      res.status(status).json({ id: row.id, scope: row.scope, version: row.version, createdAt: row.createdAt, policy, calendarPublished });
    };
    try {
      const row = await db.policyVersion.create({
        data: { scope: policy.scope, version: policy.version, body: policy as unknown as Prisma.InputJsonValue, createdBy: c.officialId },
      });
      await answer(201, row);
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002') throw err;
      // The same version again: a retried request (the same body) is answered as before; another body under a used version is refused.
      const stored = await db.policyVersion.findFirstOrThrow({ where: { scope: policy.scope, version: policy.version } });
      if (!isDeepStrictEqual(parseStoredPolicy(stored.body), policy)) throw new ApiError('CONFLICT', `版本 ${policy.version} 已存在：政策版本不可修改，请使用新的版本号`);
      await answer(200, stored);
    }
  });

  return r;
}
