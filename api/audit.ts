// Append-only audit of every official action through the API: who, when,
// what, from which address, and the outcome — refusals of a known official
// (403, 409, 429...) included: the middleware runs before authentication and
// writes when the response is finished, whatever answered it. Requests that end
// without a known official (401s) are not written, except sign-in attempts
// (`auditSignIn`), which the per-address limit bounds (api/rateLimits.ts).
// Reads are not audited. What the caller chose (path, header, address) is cut
// to size: a row costs the same whatever was sent.
import type { RequestHandler } from 'express';
import type { Db } from '../common/db';

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** At most `n` UTF-16 units, without a split surrogate pair or NUL (PostgreSQL text and jsonb refuse both). */
export function cut(s: string, n = 200): string {
  return s.replaceAll('\0', '').slice(0, n).replace(/[\uD800-\uDBFF]$/, '');
}

/** Marks a sign-in attempt: audited even when it fails, while anonymous requests are not. */
export const auditSignIn: RequestHandler = (_req, res, next) => {
  res.locals.auditSignIn = true;
  next();
};

export function auditTrail(db: Db): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    res.on('finish', () => {
      if (!req.caller && res.locals.auditSignIn !== true) return;
      // From the URL, not req.params: an error answered outside the router has lost its params.
      const segment = /^\/api\/[^/]+\/([^/?]+)/.exec(req.originalUrl)?.[1];
      const key = req.header('idempotency-key');
      const error = res.locals.error as { code: string; message: string } | undefined;
      db.auditLog
        .create({
          data: {
            officialId: req.caller?.officialId ?? null,
            method: req.method,
            path: cut(req.originalUrl, 500),
            ip: req.ip ? cut(req.ip, 64) : null,
            action: cut(`${req.method} ${req.route?.path ?? req.path}`),
            subjectId: segment ? cut(safeDecode(segment)) : null,
            status: res.statusCode,
            detail: {
              idempotencyKey: key !== undefined ? cut(key) : null,
              // A refused or failed request keeps its reason (set by errorHandler; it may quote the path).
              ...(error ? { error: { code: error.code, message: cut(error.message) } } : {}),
            },
          },
        })
        .catch((err: unknown) => req.log.error({ err }, 'audit write failed'));
    });
    next();
  };
}
