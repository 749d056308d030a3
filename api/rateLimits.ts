// Flood protection (express-rate-limit; counters in PostgreSQL, api/rateLimitStore.ts,
// so API replicas share them): a limit per official (all their requests) and a
// second one per workflow on step routes
// (POST /…/:id/<step>), so a burst against one document is refused with 429 long
// before Temporal's per-run limits (2,000 updates, 51,200 history events) or the
// workflow's continue-as-new threshold could be reached.
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { RATE_LIMIT_DEFAULTS } from '../common/config';
import type { Db } from '../common/db';
import { ApiError } from './errors';
import { PostgresRateLimitStore } from './rateLimitStore';

export interface RateLimits {
  windowMs: number;
  perCaller: number;
  perWorkflow: number;
  /**
   * Apps with the same scope share their counters: the API processes pass
   * RATE_LIMIT_SCOPE (api/main.ts). Without one, an app counts on its own
   * (tests build many apps on one database).
   */
  scope?: string;
}

/** The scope of every API process of a deployment: their limits add up. */
export const RATE_LIMIT_SCOPE = 'api';

/**
 * The workflow a step addresses: "documents/<id>" for POST /documents/<id>/…,
 * "cycles/<month>", "innovation/rollouts/<id>"; undefined for anything that is
 * not a step below one workflow's resource.
 */
export function stepTarget(req: Request): string | undefined {
  if (req.method !== 'POST') return undefined;
  const parts = req.path.split('/').filter(Boolean);
  // Ballots are rows in PostgreSQL, not updates: a round's voting burst must not
  // be refused as a flood against the selection workflow (the per-caller limit still applies).
  if (parts[parts.length - 1] === 'votes') return undefined;
  const depth = parts[0] === 'innovation' ? 3 : 2;
  return parts.length > depth ? parts.slice(0, depth).join('/') : undefined;
}

/** Which limit refused a request (the metrics' label). */
export type RateLimitKind = 'caller' | 'workflow';

/**
 * Mounted after authentication: keys are the caller's official id and the step's workflow.
 * `onRefused` counts each refusal (api/metrics.ts).
 */
export function rateLimiters(db: Db, limits: Partial<RateLimits> | undefined, onRefused: (limit: RateLimitKind) => void): RequestHandler[] {
  const refuse =
    (limit: RateLimitKind, what: string): RequestHandler =>
    (_req, _res, next) => {
      onRefused(limit);
      next(new ApiError('RATE_LIMITED', `请求过于频繁（${what}），请稍后重试`));
    };
  const l = { ...RATE_LIMIT_DEFAULTS, ...limits };
  const scope = l.scope ?? `app-${randomUUID()}`;
  const common = { windowMs: l.windowMs, standardHeaders: 'draft-8' as const, legacyHeaders: false, validate: { keyGeneratorIpFallback: false } };
  return [
    rateLimit({
      ...common,
      store: new PostgresRateLimitStore(db, `${scope}:`),
      limit: l.perCaller,
      keyGenerator: (req) => `caller:${req.caller?.officialId ?? req.ip}`,
      handler: refuse('caller', '每位用户'),
    }),
    rateLimit({
      ...common,
      store: new PostgresRateLimitStore(db, `${scope}:`),
      limit: l.perWorkflow,
      skip: (req) => stepTarget(req) === undefined,
      keyGenerator: (req) => `workflow:${stepTarget(req)}`,
      handler: refuse('workflow', '同一事项'),
    }),
  ];
}
