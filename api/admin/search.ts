// Workflow search for administrators, answered by Temporal's visibility store
// from duban's custom search attributes (common/searchAttributes.ts), so it
// works at scale without scanning the database. Pages with the server's
// nextPageToken (client.workflow.list in SDK 1.24 hides it, so the raw
// ListWorkflowExecutions call is used).
import type { Client } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { DUE_AT, FAMILY, LEVEL, STATE, UNITS } from '../../common/searchAttributes';
import type { Db } from '../../common/db';
import { ApiError } from '../errors';
import type { AdminWorkflowQuery } from '../schemas/admin';
import { labelsFor } from './labels';
import { temporalUiLink } from './timeline';

/** Query statuses → Temporal's ExecutionStatus names. */
export const EXECUTION_STATUS = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
  terminated: 'Terminated',
  continued: 'ContinuedAsNew',
  timedout: 'TimedOut',
} as const;

const STATUS_LABELS: Record<string, string> = {
  RUNNING: '运行中',
  COMPLETED: '已办结',
  FAILED: '失败',
  CANCELLED: '已取消',
  TERMINATED: '已终止',
  CONTINUED_AS_NEW: '已延续为新运行',
  TIMED_OUT: '已超时',
};

/**
 * A visibility-query string literal. The schemas already allow only safe
 * characters; escaping quotes and backslashes here keeps the query safe even
 * for a value that slipped through.
 */
export function quote(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export function buildVisibilityQuery(q: AdminWorkflowQuery, now: Date): string {
  const parts: string[] = [];
  if (q.family) parts.push(`${FAMILY.name} = ${quote(q.family)}`);
  if (q.status) parts.push(`ExecutionStatus = ${quote(EXECUTION_STATUS[q.status])}`);
  if (q.state) parts.push(`${STATE.name} = ${quote(q.state)}`);
  // KEYWORD_LIST equality means "contains".
  if (q.unit) parts.push(`${UNITS.name} = ${quote(q.unit)}`);
  if (q.level) parts.push(`${LEVEL.name} = ${quote(q.level)}`);
  if (q.overdue === 'true') parts.push(`ExecutionStatus = 'Running'`, `${DUE_AT.name} < ${quote(now.toISOString())}`);
  if (q.overdue === 'false') parts.push(`(${DUE_AT.name} IS NULL OR ${DUE_AT.name} >= ${quote(now.toISOString())})`);
  if (q.from) parts.push(`StartTime >= ${quote(new Date(q.from).toISOString())}`);
  if (q.to) parts.push(`StartTime <= ${quote(new Date(q.to).toISOString())}`);
  // Only duban's workflows (they all carry a family).
  if (!q.family) parts.push(`${FAMILY.name} IS NOT NULL`);
  // No ORDER BY: only Elasticsearch visibility supports it; the SQL stores
  // (dev server, PostgreSQL) already return the newest runs first.
  return parts.join(' AND ');
}

export interface WorkflowSummary {
  workflowId: string;
  runId: string;
  type: string;
  family?: string;
  familyTitle?: string;
  status: string;
  statusLabel: string;
  state?: string;
  stateLabel?: string;
  units: string[];
  level?: string;
  dueAt?: string;
  overdue: boolean;
  startTime: string;
  closeTime?: string;
  subject?: { type: string; id: string; title: string; reference: string };
  temporalUiUrl: string;
}

export async function searchWorkflows(
  deps: { db: Db; client: Client; temporalUiUrl: string },
  q: AdminWorkflowQuery,
  now: Date,
): Promise<{ query: string; items: WorkflowSummary[]; nextPageToken: string | null }> {
  const { client, db } = deps;
  const query = buildVisibilityQuery(q, now);
  let nextPageToken: Uint8Array | undefined;
  if (q.nextPageToken) {
    nextPageToken = Buffer.from(q.nextPageToken, 'base64url');
    if (nextPageToken.length === 0) throw new ApiError('VALIDATION_FAILED', '分页标记无效');
  }
  const response = await client.workflowService
    .listWorkflowExecutions({
      namespace: client.options.namespace,
      query,
      pageSize: q.pageSize,
      nextPageToken,
    })
    .catch((err: { code?: number }) => {
      // A forged or stale page token is refused by visibility as INVALID_ARGUMENT (3) or, on the dev
      // server's SQLite store, UNKNOWN (2): the caller's mistake, not ours (found by the API fuzzer).
      if (nextPageToken && (err.code === 2 || err.code === 3)) throw new ApiError('VALIDATION_FAILED', '分页标记无效');
      throw err;
    });
  const infos = await Promise.all(
    response.executions.map((raw) => executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, client.options.namespace)),
  );
  // Human-readable subjects: documents are joined by workflow id; other
  // families show their workflow id until they add their own join here.
  const documents = await db.document.findMany({
    where: { workflowId: { in: infos.map((i) => i.workflowId) } },
    select: { id: true, workflowId: true, title: true, docNumber: true },
  });
  const docByWf = new Map(documents.map((d) => [d.workflowId, d]));
  const items = infos.map((i): WorkflowSummary => {
    const sa = i.typedSearchAttributes;
    const family = sa.get(FAMILY);
    const state = sa.get(STATE);
    const dueAt = sa.get(DUE_AT);
    const labels = labelsFor(i.type, family);
    const doc = docByWf.get(i.workflowId);
    return {
      workflowId: i.workflowId,
      runId: i.runId,
      type: i.type,
      family,
      familyTitle: labels?.title,
      status: i.status.name,
      statusLabel: STATUS_LABELS[i.status.name] ?? i.status.name,
      state,
      stateLabel: state ? labels?.states?.[state] ?? state : undefined,
      units: [...(sa.get(UNITS) ?? [])],
      level: sa.get(LEVEL),
      dueAt: dueAt?.toISOString(),
      overdue: i.status.name === 'RUNNING' && !!dueAt && dueAt.getTime() < now.getTime(),
      startTime: i.startTime.toISOString(),
      closeTime: i.closeTime?.toISOString(),
      subject: doc ? { type: 'document', id: doc.id, title: doc.title, reference: doc.docNumber } : undefined,
      temporalUiUrl: temporalUiLink(deps.temporalUiUrl, client.options.namespace, i.workflowId),
    };
  });
  const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : null;
  return { query, items, nextPageToken: token };
}
