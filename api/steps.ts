// One way to run a workflow step over HTTP, for every family. A step route
// parses its body (400), loads its subject (404, or 403 when the caller may not
// see it) and checks that the caller may take the step (403) before anything
// reaches Temporal or spends the workflow's flood budget (429, api/rateLimits.ts);
// then the step runs as a Temporal update whose validator
// may refuse it (409, with the workflow's own reason). The Idempotency-Key
// header becomes the update id, so a repeated request (or runUpdate's own retry
// after a workflow task failed under it) is the same update; a repeat that
// reaches a later run of the workflow is answered from the run that took it.
// Starting a family's workflow goes through startOnce() below (a period's by hand, startPeriod()).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { status } from '@grpc/grpc-js';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client, type WorkflowHandle, type WorkflowStartOptions } from '@temporalio/client';
import type { UpdateDefinition, Workflow } from '@temporalio/common';
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { Db } from '../common/db';
import { caller, type Caller } from './auth';
import { ApiError, grpcFailure, isWorkflowNotReady } from './errors';
import { describe, type ErrorStatus } from './openapi';
import { updateOutcome } from './temporalAdapter';
import { countStep } from './rateLimits';
import { MonthParam } from './schemas/cycles';
import { QuarterParam } from './schemas/pilotSeeking';

/** A JSON request or response body for describe(). */
export const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

/** Path parameters that are not free text: a month is `YYYY-MM`, a year four digits, a quarter `YYYY-Qn` (what the routes parse them with). */
const PARAMS: Record<string, z.ZodType> = {
  month: MonthParam.openapi({ description: 'The month, `YYYY-MM` (Asia/Shanghai)', example: '2026-11' }),
  year: z.string().regex(/^\d{4}$/).openapi({ description: 'The year', example: '2026' }),
  quarter: QuarterParam.openapi({ description: 'The quarter, `YYYY-Qn` (Asia/Shanghai)', example: '2027-Q1' }),
};

/** Path parameters of an express path, as a zod object (`/documents/:id/x/:taskId` → { id, taskId }). */
export const paramsOf = (path: string) => z.object(Object.fromEntries([...path.matchAll(/:(\w+)/g)].map(([, name]) => [name, PARAMS[name] ?? z.string().min(1)])));

/** The header that makes a step idempotent: it becomes the Temporal update id. */
export const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().max(200).optional() });

export type Responses = Parameters<typeof describe>[0]['responses'];

/** The acting official as update arguments carry it (the timeline names the caller from it). */
export const actorOf = (c: Caller) => ({ officialId: c.officialId, unitId: c.unitId });

export interface Step<S, B extends z.ZodType, A, R> {
  /** Express path below /api, e.g. `/documents/:id/draft`. */
  path: string;
  /** The OpenAPI operationId (camelCase). */
  operationId: string;
  /** English, for the OpenAPI document. */
  summary: string;
  /** Chinese, shown in the audit views. */
  label: string;
  tags: string[];
  body: B;
  /** The success answer (its 2xx with the schema of what answer() returns). */
  responses: Responses;
  /** Error statuses besides those every step answers (400, 403, 404, 409 and the automatic ones). */
  errors?: ErrorStatus[];
  /** 201 for a step that creates something; 200 otherwise. */
  status?: 200 | 201;
  /** Finds the step's subject: 404 when it does not exist, 403 when the caller may not see it. */
  load(req: Request): Promise<S>;
  workflowId(subject: S): string;
  update: UpdateDefinition<R, [A]>;
  /** Checks that the caller may take the step (403) and what the body refers to (400); returns the update's argument. */
  args(body: z.infer<B>, c: Caller, subject: S, req: Request): A | Promise<A>;
  /** The answer: built from the update's result where it says enough, else read after it. */
  answer(result: R, subject: S, body: z.infer<B>, c: Caller, req: Request): unknown;
  /** The workflow in Chinese for the "closed" and "unknown" answers, e.g. "该文件的办理流程". */
  workflow: string;
}

/** Registers a step route on `r` and describes it in the OpenAPI document. */
export function stepRoute<S, B extends z.ZodType, A, R>(r: Router, db: Db, client: Client, step: Step<S, B, A, R>): void {
  describe({
    method: 'post',
    path: step.path,
    operationId: step.operationId,
    summary: step.summary,
    label: step.label,
    tags: step.tags,
    request: { params: paramsOf(step.path), headers: IdempotencyHeaders, body: json(step.body) },
    responses: step.responses,
    errors: [403, 409, ...(step.errors ?? [])],
  });
  r.post(step.path, async (req, res) => {
    IdempotencyHeaders.parse({ 'idempotency-key': req.header('idempotency-key') });
    const body = step.body.parse(req.body ?? {});
    const subject = await step.load(req);
    const c = caller(req);
    const args = await step.args(body, c, subject, req);
    // Only now, authorized and valid, does the step spend its workflow's flood budget, under the id it addresses.
    const workflowId = step.workflowId(subject);
    await countStep(req, workflowId);
    const result = await runUpdate(db, client, workflowId, step.update, args, req, step.workflow);
    res.status(step.status ?? 200).json(await step.answer(result, subject, body, c, req));
  });
}

/** Tries of an update whose workflow task failed under it, and the pause before the first retry (doubling after it). */
const NOT_READY_TRIES = 5;
const NOT_READY_PAUSE_MS = 200;

/**
 * Runs an update with the request's Idempotency-Key as update id; a refusal is 409 with the workflow's reason.
 * A workflow task that failed under the update (isWorkflowNotReady) did not apply it: the same update runs
 * again, under the same id, and only a failure that outlasts the retries answers 503.
 */
export async function runUpdate<R, A>(db: Db, client: Client, workflowId: string, def: UpdateDefinition<R, [A]>, args: A, req: Request, workflow: string): Promise<R> {
  const handle = client.workflow.getHandle(workflowId);
  const key = req.header('idempotency-key') || undefined;
  const earlier = key ? await takenByEarlierRun(db, client, workflowId, key) : undefined;
  if (earlier) return earlier.result as R;
  const updateId = key ?? randomUUID(); // one id for every try: a retry is this update, never a second one
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle.executeUpdate(def, { args: [args], updateId });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new ApiError('CONFLICT', err.cause?.message ?? err.message);
      // Temporal answers an update to a closed workflow as to an unknown one: ask which it is.
      if (err instanceof WorkflowNotFoundError) return (await closedOrUnknown(client, handle, workflow, key)) as R;
      if (!isWorkflowNotReady(err) || attempt === NOT_READY_TRIES) throw err;
      req.log.warn({ workflowId, updateId, attempt }, 'workflow task failed under the update; running it again');
      await sleep(NOT_READY_PAUSE_MS * 2 ** (attempt - 1));
    }
  }
}

/**
 * The result of a resend's step when a run other than the running one took it: Temporal remembers
 * update ids per run, so after a continue-as-new the new run would take the step a second time.
 * The step's event (keyed by workflow and update id) names the run that took it.
 */
async function takenByEarlierRun(db: Db, client: Client, workflowId: string, updateId: string): Promise<{ result: unknown } | undefined> {
  const event = await db.workflowEvent.findUnique({ where: { key: `${workflowId}:${updateId}` }, select: { runId: true } });
  if (!event?.runId) return undefined;
  const run = client.workflow.getHandle(workflowId, event.runId);
  try {
    // The running run answers a resend itself (and a step it is still recording is not over yet).
    if ((await run.describe()).status.name === 'RUNNING') return undefined;
  } catch (err) {
    // That run's history is past its retention: the step was taken, but its answer is gone.
    if (err instanceof WorkflowNotFoundError) throw new ApiError('CONFLICT', '该步骤已按此前的同一请求办理，请刷新后查看');
    throw err;
  }
  const outcome = await updateOutcome(client, run, updateId);
  return outcome && 'result' in outcome ? outcome : undefined;
}

/**
 * Why an update found no running workflow, as an error to throw; or, for a
 * resend (same Idempotency-Key) whose first attempt was the step that closed
 * the workflow, that attempt's result, so the retry answers as the first would have.
 */
async function closedOrUnknown(client: Client, handle: WorkflowHandle, workflow: string, updateId: string | undefined): Promise<unknown> {
  try {
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') throw new ApiError('CONFLICT', '事项状态已变化，请刷新后重试');
    const earlier = updateId ? await updateOutcome(client, handle, updateId) : undefined;
    if (earlier && 'result' in earlier) return earlier.result;
    throw new ApiError('CONFLICT', earlier?.refused || `${workflow}已结束，不能再办理`);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ApiError('NOT_FOUND', `${workflow}不存在（或已超过保留期限）`);
    throw err;
  }
}

/**
 * Starts a family's workflow once, under its business id: `started` when this
 * call started it, `running` when it already runs, `closed` when a workflow with
 * this id has already finished (the id is never reused).
 */
export async function startOnce<T extends Workflow>(
  client: Client,
  workflow: T,
  options: WorkflowStartOptions<T>,
): Promise<{ outcome: 'started' | 'running' | 'closed'; handle: WorkflowHandle<T> }> {
  const handle = client.workflow.getHandle<T>(options.workflowId);
  try {
    await client.workflow.start(workflow, { ...options, workflowIdConflictPolicy: 'FAIL', workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    return { outcome: 'started', handle };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const { status } = await handle.describe();
  return { outcome: status.name === 'RUNNING' ? 'running' : 'closed', handle };
}

/**
 * Starts a period's workflow by hand (a month, quarter or year its schedule starts too): 201 when this
 * call started it, 200 when it already runs, 409 with `closed` when it has finished (a period runs
 * once). `answer` turns the workflow's view, once it says it is ready, into what the route returns
 * beside `started` (undefined: not recorded yet); without it within READY_WITHIN_MS (no worker), 202.
 */
export async function startPeriod<T extends Workflow, V, A>(
  client: Client,
  spec: { workflow: T; options: WorkflowStartOptions<T>; ready: UpdateDefinition<V, []>; closed: string; answer: (view: V) => Promise<A | undefined | null> },
): Promise<{ status: 200 | 201 | 202; started: boolean; answer?: A }> {
  const { outcome, handle } = await startOnce(client, spec.workflow, spec.options);
  if (outcome === 'closed') throw new ApiError('CONFLICT', spec.closed);
  const started = outcome === 'started';
  const view = await viewWhenReady(client, handle, spec.ready);
  const answer = view === undefined ? undefined : await spec.answer(view);
  if (answer === undefined || answer === null) return { status: 202, started };
  return { status: started ? 201 : 200, started, answer };
}

/**
 * How long a start waits for its workflow to say it is ready before answering 202: a worker takes well under
 * a second, and an answer must come long before a proxy's read timeout (30–60 s is common) cuts the request.
 */
export const READY_WITHIN_MS = 10_000;

/**
 * The workflow's own view once it says it is ready (an update that waits for
 * its start to be recorded), for at most `withinMs`; undefined when it is not
 * ready by then (e.g. no worker runs).
 */
export async function viewWhenReady<V>(client: Client, handle: WorkflowHandle, update: UpdateDefinition<V, []>, withinMs = READY_WITHIN_MS): Promise<V | undefined> {
  try {
    return await client.withDeadline(Date.now() + withinMs, () => handle.executeUpdate(update));
  } catch (err) {
    // The SDK reports the deadline as its own error type (the gRPC status is its cause).
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || grpcFailure(err)?.code === status.DEADLINE_EXCEEDED) return undefined;
    throw err;
  }
}
