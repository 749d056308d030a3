// One error shape for every failure: { error: { code, message, details? } }.
import { status, type ServiceError as GrpcServiceError } from '@grpc/grpc-js';
import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

/**
 * Temporal's gRPC answer behind a failed call: the client wraps it in its
 * ServiceError (some calls, e.g. fetching a history, throw it raw). Undefined
 * for anything else. Compare its `code` with `status` of @grpc/grpc-js.
 */
export function grpcFailure(err: unknown): GrpcServiceError | undefined {
  if (isGrpcServiceError(err)) return err;
  if (err instanceof ServiceError && isGrpcServiceError(err.cause)) return err.cause;
  return undefined;
}

/**
 * Temporal's WorkflowNotReady: the workflow task that carried an update failed under it (a worker that
 * crashed or answered too late), so the update was not applied and the same update id may run again.
 * It shares FAILED_PRECONDITION with refusals that stay refusals; the failure type in the status details tells them apart.
 */
export function isWorkflowNotReady(err: unknown): boolean {
  const failure = grpcFailure(err);
  if (failure?.code !== status.FAILED_PRECONDITION) return false;
  return failure.metadata?.get('grpc-status-details-bin').some((d) => Buffer.from(d).toString('latin1').includes('WorkflowNotReadyFailure')) ?? false;
}

/** True for failures that mean "a backing service is down", answered 503, not 500. */
function isUnavailable(err: unknown): boolean {
  // Temporal: any failure of the service the API does not answer otherwise (overloaded, unreachable, restarting,
  // a workflow task that failed under an update…).
  if (err instanceof ServiceError || isGrpcServiceError(err)) return true;
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown };
  const text = `${e?.name ?? ''} ${e?.code ?? ''} ${e?.message ?? ''}`;
  // Prisma's pg adapter reports an outage as DriverAdapterError kinds (DatabaseNotReachable,
  // ConnectionClosed, SocketTimeout) or PostgreSQL's 57P01/57P03 while the server shuts down or starts.
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|P1001|P1002|P1008|P1017|P2024|DatabaseNotReachable|ConnectionClosed|SocketTimeout|57P01|57P03|Connection terminated|Can't reach database/i.test(text)) return true;
  return e?.cause ? isUnavailable(e.cause) : false;
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let e: ApiError;
  const grpc = grpcFailure(err);
  if (err instanceof ApiError) e = err;
  else if (err instanceof ZodError) e = new ApiError('VALIDATION_FAILED', '请求参数不合法', err.issues);
  else if ((err as { type?: string }).type === 'entity.parse.failed') e = new ApiError('VALIDATION_FAILED', '请求体不是合法的 JSON');
  else if ((err as { type?: string }).type === 'entity.too.large') e = new ApiError('VALIDATION_FAILED', '请求体过大');
  // Temporal refusing the request itself (e.g. an unusable Idempotency-Key as update id) is the
  // caller's mistake: 400, not 503 (found by the API fuzzer). Temporal's words describe its internals:
  // they go to the log, the caller gets the request id to quote.
  else if (grpc?.code === status.INVALID_ARGUMENT) {
    req.log.warn({ grpcDetails: grpc.details }, 'Temporal refused the request');
    e = new ApiError('VALIDATION_FAILED', `工作流服务拒绝了该请求（请求编号 ${String(res.getHeader('X-Request-Id'))}）`);
  } else if ((grpc?.code === status.FAILED_PRECONDITION && !isWorkflowNotReady(err)) || grpc?.code === status.ABORTED) {
    // Temporal refusing an operation in the workflow's present state (e.g. its per-run limit of updates reached).
    // A workflow task that failed under an update is not one of them: that is transient, 503 below.
    e = new ApiError('CONFLICT', '事项状态已变化（流程已结束或正在结束），请刷新后重试');
  } else if (isUnavailable(err)) {
    // Logged: a 503 should be explainable afterwards (database down, Temporal overloaded…).
    const cause = (err as { cause?: { code?: number; details?: string; message?: string } }).cause;
    req.log.warn({ error: (err as Error)?.name, message: (err as Error)?.message?.slice(0, 300), cause: cause && `${cause.code ?? ''} ${cause.details ?? cause.message ?? ''}`.trim() }, 'API dependency unavailable');
    e = new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后重试');
  }
  // PostgreSQL refuses text it cannot store (a NUL byte: 22021/22P05): bad input, not our failure.
  else if (/invalid byte sequence|untranslatable character|22021|22P05/.test(`${(err as Error)?.message ?? ''} ${(err as { code?: string })?.code ?? ''}`)) {
    e = new ApiError('VALIDATION_FAILED', '请求中含有无法保存的字符（如 NUL）');
  }
  else {
    req.log.error({ err }, 'unhandled API error');
    e = new ApiError('INTERNAL', '服务器内部错误');
  }
  // The audit trail records why a request was refused (api/audit.ts).
  res.locals.error = { code: e.code, message: e.message };
  res.status(e.status).json({ error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } });
};
