// 第十九条（三） 站长责任制: who answers for each platform — the city's, each
// district's and each municipal department's — and which have nobody in the
// role. Readable by every official: a unit's officials need to know whom to ask.
import { Router } from 'express';
import type { Db } from '../../common/db';
import { isSiteMasterOf, SITE_KINDS, SITE_MASTER_ROLE } from '../../common/siteMasters';
import { describe } from '../openapi';
import { SiteMasters, SiteMastersQuery } from '../schemas/console';
import { answers } from '../schemas/views';

describe({
  method: 'get',
  path: '/site-masters',
  operationId: 'listSiteMasters',
  summary: "Each platform's 站长 (第十九条（三）): the reform office's and each district's full-time deputy director, each department's leader in charge; `vacant=true` lists those without one",
  label: '查看各平台站长',
  tags: ['组织'],
  request: { query: SiteMastersQuery },
  responses: answers(SiteMasters),
});

export function siteMastersRouter(db: Db): Router {
  const r = Router();
  r.get('/site-masters', async (req, res) => {
    const q = SiteMastersQuery.parse(req.query);
    const units = await db.unit.findMany({
      where: { kind: { in: q.kind ? [q.kind] : SITE_KINDS } },
      orderBy: [{ kind: 'asc' }, { id: 'asc' }],
      include: { officials: { where: { active: true }, orderBy: { id: 'asc' } } },
    });
    const items = units.map((u) => {
      const masters = u.officials.filter((o) => isSiteMasterOf(o, u)).map((o) => ({ id: o.id, name: o.name, title: o.title, email: o.email }));
      return { unitId: u.id, unitName: u.name, unitKind: u.kind, role: SITE_MASTER_ROLE[u.kind]!, masters, vacant: masters.length === 0 };
    });
    res.json({ items: q.vacant === undefined ? items : items.filter((i) => i.vacant === (q.vacant === 'true')) });
  });
  return r;
}
