// Workflow search for administrators, answered by Temporal's visibility store
// from duban's custom search attributes (common/searchAttributes.ts), so it
// works at scale without scanning the database; every family alike, each
// result named by its family's subject (api/families). Pages with the server's
// nextPageToken (api/temporalAdapter.ts).
import { status } from '@grpc/grpc-js';
import type { Client } from '@temporalio/client';
import { DUE_AT, FAMILY, LEVEL, STATE, UNITS } from '../../common/searchAttributes';
import type { Db } from '../../common/db';
import { ApiError, grpcFailure } from '../errors';
import { familyOf, subjectsOf } from '../families';
import type { AdminWorkflowQuery } from '../schemas/admin';
import { listWorkflowPage } from '../temporalAdapter';
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
  const page = await listWorkflowPage(client, query, q.pageSize, nextPageToken).catch((err: unknown) => {
    // A forged or stale page token is refused by visibility as INVALID_ARGUMENT or, on the dev
    // server's SQLite store, UNKNOWN: the caller's mistake, not ours (found by the API fuzzer).
    const code = grpcFailure(err)?.code;
    if (nextPageToken && (code === status.INVALID_ARGUMENT || code === status.UNKNOWN)) throw new ApiError('VALIDATION_FAILED', '分页标记无效');
    throw err;
  });
  const infos = page.executions;
  const subjects = await subjectsOf(db, infos.map((i) => i.workflowId));
  const items = infos.map((i): WorkflowSummary => {
    const sa = i.typedSearchAttributes;
    const family = sa.get(FAMILY);
    const state = sa.get(STATE);
    const dueAt = sa.get(DUE_AT);
    const labels = familyOf(i.type, family);
    const subject = subjects.get(i.workflowId);
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
      subject: subject && { type: subject.type, id: subject.id, title: subject.title, reference: subject.reference },
      temporalUiUrl: temporalUiLink(deps.temporalUiUrl, client.options.namespace, i.workflowId),
    };
  });
  const token = page.nextPageToken ? Buffer.from(page.nextPageToken).toString('base64url') : null;
  return { query, items, nextPageToken: token };
}
