// The in-app inbox: every notice addressed to the caller, and acknowledgement (签收).
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../common/db';
import { caller } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import { answers, Inbox, NoticeAcknowledged } from '../schemas/views';

const InboxQuery = z.object({
  unacknowledged: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});

describe({
  method: 'get',
  path: '/inbox',
  operationId: 'getInbox',
  summary: 'Every notice addressed to the caller, newest first (paged)',
  label: '我的收件箱：发给本人的全部督办通知',
  tags: ['收件箱'],
  request: { query: InboxQuery },
  responses: answers(Inbox),
});
describe({
  method: 'post',
  path: '/notices/:noticeId/acknowledge',
  operationId: 'acknowledgeNotice',
  summary: 'Acknowledge (签收) a notice; again keeps the first time',
  label: '签收通知',
  tags: ['收件箱'],
  request: { params: z.object({ noticeId: z.string().min(1) }) },
  responses: answers(NoticeAcknowledged),
});

export function inboxRouter(db: Db): Router {
  const r = Router();

  r.get('/inbox', async (req, res) => {
    const q = InboxQuery.parse(req.query);
    const rows = await db.noticeRecipient.findMany({
      where: { officialId: caller(req).officialId, ...(q.unacknowledged === 'true' ? { acknowledgedAt: null } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.limit + 1,
      ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
      include: { notice: { select: { id: true, kind: true, title: true, body: true, rule: true, dueAt: true, subjectType: true, subjectId: true, explanation: true, createdAt: true } } },
    });
    const items = rows.slice(0, q.limit).map((r) => ({ id: r.id, role: r.role, delivery: r.status, sentAt: r.sentAt, acknowledgedAt: r.acknowledgedAt, notice: r.notice }));
    res.json({ items, nextCursor: rows.length > q.limit ? rows[q.limit - 1].id : null });
  });

  // Acknowledging twice keeps the first time: the answer is the same.
  r.post('/notices/:noticeId/acknowledge', async (req, res) => {
    const officialId = caller(req).officialId;
    const noticeId = String(req.params.noticeId);
    const row = await db.noticeRecipient.findUnique({ where: { noticeId_officialId: { noticeId, officialId } } });
    if (!row) throw new ApiError('NOT_FOUND', '该通知不在您的收件箱中');
    const updated = row.acknowledgedAt
      ? row
      : await db.noticeRecipient.update({ where: { id: row.id }, data: { acknowledgedAt: new Date() } });
    res.json({ noticeId, acknowledgedAt: updated.acknowledgedAt });
  });

  return r;
}
