// Policies: the rule durations and thresholds as versioned data. The reform
// office adopts a new city version; a district may adopt its own (第二十一条).
// A version is never changed: new workflows start under the newest one of
// their scope, running workflows keep the policy they started with.
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../common/db';
import { defaultPolicy, Policy } from '../../common/policy';
import type { Prisma } from '../../generated/prisma/client';
import { caller, requireAdmin } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import { pageArgs, pageOf, pageQuery } from '../pagination';
import { resolvePolicy } from '../../common/policy/resolve';
import { answers, PolicyPublished, PolicyVersions } from '../schemas/views';

const tags = ['政策参数'];
const VersionsQuery = z.object({ scope: z.string().trim().min(1).max(100).default('city'), ...pageQuery() }).strict();

describe({ method: 'get', path: '/policies', operationId: 'getPolicies', summary: "A scope's active policy, its defaults and its versions", label: '查看某范围现行政策参数及历史版本', tags, request: { query: VersionsQuery }, responses: answers(PolicyVersions) });
describe({ method: 'post', path: '/policies', operationId: 'publishPolicy', summary: 'Publish a new policy version for the city or a district (article 21; administrators)', errors: [409], label: '发布新的政策参数版本（市级或区县实施细则，第二十一条）', tags, request: { body: { content: { 'application/json': { schema: Policy } } } }, responses: answers(PolicyPublished, 201) });

export function policiesRouter(db: Db): Router {
  const r = Router();

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
    if (policy.scope !== 'city' && !(await db.unit.findFirst({ where: { id: policy.scope, kind: 'DISTRICT' } }))) {
      throw new ApiError('VALIDATION_FAILED', '政策范围必须是 city 或一个区县', [{ path: ['scope'], message: 'unknown district' }]);
    }
    try {
      const row = await db.policyVersion.create({
        data: { scope: policy.scope, version: policy.version, body: policy as unknown as Prisma.InputJsonValue, createdBy: c.officialId },
      });
      res.status(201).json({ id: row.id, scope: row.scope, version: row.version, createdAt: row.createdAt, policy });
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') throw new ApiError('CONFLICT', `版本 ${policy.version} 已存在：政策版本不可修改，请使用新的版本号`);
      throw err;
    }
  });

  return r;
}
