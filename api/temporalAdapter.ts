// The one module that reads Temporal's raw answers with SDK internals
// (`@temporalio/*/lib/...`, which have no public equivalent in SDK 1.24): event
// histories for the timeline and visibility pages for the search, and the one
// raw request the API sends (a batch signal's input, calendarPublication.ts).
// Everything else goes through the SDK's public API; an SDK upgrade is checked here.
import type { Client, WorkflowExecutionInfo, WorkflowHandle } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { decodeSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { decodeFromPayloadsAtIndex, decodeOptionalFailureToOptionalError, encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow';

export type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
export type HistoryEvent = NonNullable<History['events']>[number];
type Payloads = NonNullable<NonNullable<HistoryEvent['activityTaskScheduledEventAttributes']>['input']>['payloads'];
type IndexedFields = NonNullable<NonNullable<HistoryEvent['upsertWorkflowSearchAttributesEventAttributes']>['searchAttributes']>['indexedFields'];
type Failure = NonNullable<HistoryEvent['activityTaskFailedEventAttributes']>['failure'];
type Timestamp = HistoryEvent['eventTime'];

/**
 * The value at `index` of a history's payloads, decoded by the client's data
 * converter (the payload codec included); undefined when it cannot be decoded,
 * so an undecodable payload still leaves its event on the timeline.
 */
export async function decodeValue(client: Client, payloads: Payloads | undefined, index = 0): Promise<unknown> {
  try {
    return await decodeFromPayloadsAtIndex(client.options.loadedDataConverter, index, payloads);
  } catch {
    return undefined;
  }
}

/** `values` encoded by the client's data converter (the payload codec included), for a raw request. */
export async function encodeValues(client: Client, ...values: unknown[]): Promise<Payloads> {
  return (await encodeToPayloads(client.options.loadedDataConverter, ...values)) ?? [];
}

/** A failure's message as the workflow or activity raised it. */
export async function failureMessage(client: Client, failure: Failure | undefined): Promise<string | undefined> {
  try {
    return (await decodeOptionalFailureToOptionalError(client.options.loadedDataConverter, failure))?.message;
  } catch {
    return failure?.message ?? undefined;
  }
}

/** Search attributes as the workflow set them (each value a list, whatever its type). */
export function searchAttributes(fields: IndexedFields | undefined): Record<string, unknown[] | undefined> {
  return decodeSearchAttributes(fields) as Record<string, unknown[] | undefined>;
}

/** A protobuf timestamp or duration in milliseconds. */
export function millis(ts: Timestamp | undefined): number | undefined {
  if (!ts) return undefined;
  const s = ts.seconds as number | { toNumber(): number } | null | undefined;
  return (typeof s === 'number' ? s : (s?.toNumber() ?? 0)) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/**
 * One page of visibility's answer to `query`, with the server's next-page
 * token (client.workflow.list in SDK 1.24 pages by itself and hides it).
 */
export async function listWorkflowPage(
  client: Client,
  query: string,
  pageSize: number,
  nextPageToken: Uint8Array | undefined,
): Promise<{ executions: WorkflowExecutionInfo[]; nextPageToken: Uint8Array | undefined }> {
  const namespace = client.options.namespace;
  const response = await client.workflowService.listWorkflowExecutions({ namespace, query, pageSize, nextPageToken });
  const executions = await Promise.all(response.executions.map((raw) => executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, namespace)));
  return { executions, nextPageToken: response.nextPageToken?.length ? response.nextPageToken : undefined };
}

/**
 * How the update `updateId` ended in this run's history: its result, or the
 * message of the failure it answered with; undefined when the history has no
 * completion for it (it never ran, or it ran in an earlier run).
 */
export async function updateOutcome(client: Client, handle: WorkflowHandle, updateId: string): Promise<{ result: unknown } | { refused: string } | undefined> {
  const { events } = await handle.fetchHistory();
  const done = events?.find((e) => e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId === updateId)?.workflowExecutionUpdateCompletedEventAttributes;
  if (!done?.outcome) return undefined;
  if (done.outcome.failure) return { refused: (await failureMessage(client, done.outcome.failure)) ?? '' };
  return { result: await decodeValue(client, done.outcome.success?.payloads ?? undefined) };
}
