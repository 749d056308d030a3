// Flood protection (express-rate-limit; counters in PostgreSQL, api/rateLimitStore.ts,
// so API replicas share them):
// - per address, before authentication: the requests of one address that end
//   without a known caller (anonymous requests, failed sign-ins), so nobody can
//   make the API look up tokens or write sign-in audit rows without bound;
// - per official, after authentication: all of their requests;
// - per workflow, counted by stepRoute (api/steps.ts) once a step is authorized:
//   a burst against one document is refused with 429 long before Temporal's
//   per-run limits (2,000 updates, 51,200 history events) or the workflow's
//   continue-as-new threshold could be reached, and an official who may not act
//   cannot spend the budget of the unit that must.
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RATE_LIMIT_DEFAULTS } from '../common/config';
import type { Db } from '../common/db';
import { caller } from './auth';
import { ApiError } from './errors';
import { PostgresRateLimitStore } from './rateLimitStore';

export interface RateLimits {
  windowMs: number;
  perAddress: number;
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

/** Which limit refused a request (the metrics' label). */
export type RateLimitKind = 'address' | 'caller' | 'workflow';

declare global {
  namespace Express {
    interface Request {
      /** Counts an authorized step against its workflow's budget (429 when it is spent). */
      countStep?: (workflowId: string) => Promise<void>;
    }
  }
}

/**
 * The budget an address counts in: IPv4 as it is, IPv6 by its /64 (one
 * subscriber's allocation: rotating within it gains nothing). An IPv4 address
 * seen through a dual-stack socket (`::ffff:a.b.c.d`) is that IPv4 address.
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const v4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1];
  return ipKeyGenerator(v4 ?? ip, 64);
}

export interface FloodLimits {
  /** Mounted before authentication (and before the codec endpoint's login). */
  perAddress: RequestHandler;
  /** Mounted after authentication: the per-official limit, and `req.countStep` for stepRoute. */
  afterAuthentication: RequestHandler[];
}

/** `onRefused` counts each refusal (api/metrics.ts). */
export function rateLimiters(db: Db, limits: Partial<RateLimits> | undefined, onRefused: (limit: RateLimitKind) => void): FloodLimits {
  const refuse =
    (limit: RateLimitKind, what: string): RequestHandler =>
    (_req, _res, next) => {
      onRefused(limit);
      next(new ApiError('RATE_LIMITED', `请求过于频繁（${what}），请稍后重试`));
    };
  const l = { ...RATE_LIMIT_DEFAULTS, ...limits };
  const scope = l.scope ?? `app-${randomUUID()}`;
  const limiter = (kind: RateLimitKind, limit: number) => ({
    windowMs: l.windowMs,
    limit,
    store: new PostgresRateLimitStore(db, `${scope}:`),
    standardHeaders: 'draft-8' as const,
    identifier: kind,
    legacyHeaders: false,
    validate: { keyGeneratorIpFallback: false },
  });
  const perWorkflow = rateLimit({
    ...limiter('workflow', l.perWorkflow),
    keyGenerator: (_req, res) => `workflow:${String(res.locals.stepWorkflowId)}`,
    handler: refuse('workflow', '同一事项'),
  });
  return {
    perAddress: rateLimit({
      ...limiter('address', l.perAddress),
      // A request that turns out to come from a known official is given back (theirs is the
      // per-official limit): an office behind one address is not limited by its own work.
      skipSuccessfulRequests: true,
      requestWasSuccessful: (req) => req.caller !== undefined,
      // CORS preflights touch nothing; the public vote has its own limits (api/innovationVoting.ts).
      skip: (req) => req.method === 'OPTIONS' || req.path.startsWith('/public/'),
      keyGenerator: (req) => `address:${addressKey(req.ip)}`,
      handler: refuse('address', '同一网络地址'),
    }),
    afterAuthentication: [
      rateLimit({
        ...limiter('caller', l.perCaller),
        keyGenerator: (req) => `caller:${caller(req).officialId}`,
        handler: refuse('caller', '每位用户'),
      }),
      (req, res, next) => {
        req.countStep = (workflowId) =>
          new Promise((resolve, reject) => {
            res.locals.stepWorkflowId = workflowId;
            void perWorkflow(req, res, (err?: unknown) => (err instanceof Error ? reject(err) : resolve()));
          });
        next();
      },
    ],
  };
}

/** Counts an authorized step against its workflow's budget: the ApiError RATE_LIMITED (429) when it is spent. */
export function countStep(req: Request, workflowId: string): Promise<void> {
  // Every app mounts the limits (api/app.ts): a step route without them is a wiring fault, not an open door.
  if (!req.countStep) throw new Error('step routes need the flood limits of api/rateLimits.ts mounted before them');
  return req.countStep(workflowId);
}
