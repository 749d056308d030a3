// Notices: stored once per business key, e-mailed once per recipient, and
// placed in each recipient's in-app inbox (the NoticeRecipient row).
import { createHash } from 'node:crypto';
import { ApplicationFailure, log, metricMeter } from '@temporalio/activity';
import { consoleUrl } from '../common/consoleLinks';
import type { Db } from '../common/db';
import { noticeKey } from '../common/ids';
import { formatShanghai } from '../common/policy/duration';
import type { Mailer, SmtpError } from './mailer';
import { holdRetry, pauseAfterWrite } from './testHooks';

/** Why a notice exists: shown with it and printed in the e-mail. */
export interface NoticeExplanation {
  rule: string; // 第N条
  startEvent: string; // e.g. "交办单下发"
  startedAt: string; // ISO instant of the start event
  offset: string; // e.g. "3周"
  dueAt?: string; // computed due date
}

export interface NoticeDraft {
  key: string;
  workflowId: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  rule: string;
  title: string;
  body: string;
  explanation: NoticeExplanation;
  dueAt?: string;
  to: string[]; // official ids
  cc?: string[];
  createdBy?: string;
}

/** Deterministic per notice and recipient, so a resend carries the same Message-ID. */
export function messageIdFor(noticeKey: string, officialId: string): string {
  const digest = createHash('sha256').update(noticeKey).digest('hex').slice(0, 32);
  return `<${digest}.${officialId}@duban.local>`;
}

function explanationText(e: NoticeExplanation): string {
  const lines = [`依据：${e.rule}`, `起算事件：${e.startEvent}（${formatShanghai(e.startedAt)}）`, `期限：${e.offset}`];
  if (e.dueAt) lines.push(`计算截止时间：${formatShanghai(e.dueAt)}`);
  return lines.join('\n');
}

/**
 * Stores a notice and its recipients in one transaction, or returns the one
 * already stored under the same key (a retried activity writes nothing new).
 */
export async function saveNotice(db: Db, draft: NoticeDraft): Promise<string> {
  await holdRetry(draft.key);
  // No look before the insert: a notice is new nearly always, and its unique key refuses a second row (below).
  const ids = [...new Set([...draft.to, ...(draft.cc ?? [])])];
  const officials = await db.official.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
  const email = new Map(officials.map((o) => [o.id, o.email]));
  const ccSet = new Set((draft.cc ?? []).filter((id) => !draft.to.includes(id)));
  try {
    const notice = await db.notice.create({
      data: {
        key: draft.key,
        workflowId: draft.workflowId,
        kind: draft.kind,
        subjectType: draft.subjectType,
        subjectId: draft.subjectId,
        rule: draft.rule,
        title: draft.title,
        // Every notice links to its item in the web console (API_PUBLIC_URL).
        body: `${draft.body}\n\n—— 督办依据 ——\n${explanationText(draft.explanation)}\n\n在督办系统中查看和办理：${consoleUrl(draft.subjectType, draft.subjectId)}`,
        explanation: { ...draft.explanation },
        dueAt: draft.dueAt ? new Date(draft.dueAt) : null,
        createdBy: draft.createdBy ?? null,
        recipients: {
          create: ids
            .filter((id) => email.has(id))
            .map((officialId) => ({
              officialId,
              email: email.get(officialId)!,
              role: ccSet.has(officialId) ? 'CC' : 'TO',
              messageId: messageIdFor(draft.key, officialId),
            })),
        },
      },
      select: { id: true },
    });
    await pauseAfterWrite('notice-saved', draft.key);
    return notice.id;
  } catch (err) {
    // Stored already, by an earlier attempt (a retried activity) or a concurrent one: use that row.
    if ((err as { code?: string }).code === 'P2002') {
      const row = await db.notice.findUniqueOrThrow({ where: { key: draft.key }, select: { id: true } });
      return row.id;
    }
    throw err;
  }
}

/**
 * Mails counted by outcome through the activity's metric meter: the worker
 * serves them beside the SDK's own metrics (WORKER_METRICS_ADDRESS, worker/main.ts).
 * sent: accepted by SMTP; failed: refused for good (5xx); deferred: a 4xx, retried.
 * Labelled by notice kind only — never by official or notice.
 */
function countMail(outcome: 'sent' | 'failed' | 'deferred', kind: string): void {
  metricMeter.createCounter(`duban_notice_mails_${outcome}`, 'mails', `Notice e-mails ${outcome} (per recipient)`).add(1, { kind });
}

export interface DeliveryResult {
  sent: number;
  skipped: number;
  failed: number;
}

/**
 * E-mails every recipient not yet SENT or FAILED. SMTP 4xx → the activity
 * fails and Temporal retries (recipients already SENT are skipped); 5xx → the
 * recipient is marked FAILED with the reason, never retried.
 */
export async function deliverNotice(db: Db, mailer: Mailer, noticeId: string): Promise<DeliveryResult> {
  const notice = await db.notice.findUniqueOrThrow({ where: { id: noticeId }, include: { recipients: true } });
  const result: DeliveryResult = { sent: 0, skipped: 0, failed: 0 };
  let temporary: SmtpError | undefined;
  /** Each recipient's status once this attempt is through with it. */
  const final: string[] = [];
  for (const r of notice.recipients) {
    if (r.status !== 'PENDING') {
      result.skipped++;
      final.push(r.status);
      continue;
    }
    try {
      await mailer.send({ messageId: r.messageId, to: r.email, subject: notice.title, text: notice.body });
      await db.noticeRecipient.update({ where: { id: r.id }, data: { status: 'SENT', sentAt: new Date(), attempts: { increment: 1 }, error: null } });
      final.push('SENT');
      result.sent++;
      countMail('sent', notice.kind);
      await pauseAfterWrite('recipient-sent', `${notice.key} ${r.officialId}`);
    } catch (err) {
      const e = err as SmtpError;
      const code = e.responseCode;
      if (code !== undefined && code >= 500) {
        await db.noticeRecipient.update({ where: { id: r.id }, data: { status: 'FAILED', error: `${code} ${e.message}`.slice(0, 500), attempts: { increment: 1 } } });
        log.warn('permanent SMTP failure', { noticeId, recipient: r.officialId, code });
        final.push('FAILED');
        result.failed++;
        countMail('failed', notice.kind);
      } else {
        await db.noticeRecipient.update({ where: { id: r.id }, data: { attempts: { increment: 1 }, error: `${code ?? ''} ${e.message}`.trim().slice(0, 500) } });
        countMail('deferred', notice.kind);
        temporary = e; // keep delivering to the others, then fail the attempt
      }
    }
  }
  if (temporary) {
    throw ApplicationFailure.retryable(`temporary SMTP failure: ${temporary.message}`, 'SmtpTemporaryFailure');
  }
  // Every recipient is SENT or FAILED now (a deferred one threw above).
  const status = !final.includes('FAILED') ? 'SENT' : final.includes('SENT') ? 'PARTIAL' : 'FAILED';
  await db.notice.update({ where: { id: noticeId }, data: { status } });
  await pauseAfterWrite('notice-delivered', notice.key);
  return result;
}

/** What a family gives to issue a notice: the key and rule follow from the step and explanation. */
export type NoticeRequest = Omit<NoticeDraft, 'key' | 'rule'> & { step: string };

/**
 * Stores the notice under its business key (workflow id + step) and e-mails its
 * recipients: the one way every family issues a notice, so each retry is harmless.
 */
export async function issueNotice(db: Db, mailer: Mailer, req: NoticeRequest): Promise<{ noticeId: string; delivery: DeliveryResult }> {
  const { step, ...draft } = req;
  const noticeId = await saveNotice(db, { ...draft, key: noticeKey(req.workflowId, step), rule: req.explanation.rule });
  return { noticeId, delivery: await deliverNotice(db, mailer, noticeId) };
}
