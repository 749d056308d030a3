// Append-only audit of every official action through the API: who, when,
// what, from which address, and the outcome — refused requests (401, 403,
// 409...) included: the middleware runs before authentication and writes when
// the response is finished, whatever answered it. Reads are not audited.
import type { RequestHandler } from 'express';
import type { Db } from '../common/db';

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function auditTrail(db: Db): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    res.on('finish', () => {
      // From the URL, not req.params: an error answered outside the router has lost its params.
      const segment = /^\/api\/[^/]+\/([^/?]+)/.exec(req.originalUrl)?.[1];
      const subjectId = segment ? safeDecode(segment) : undefined;
      db.auditLog
        .create({
          data: {
            officialId: req.caller?.officialId ?? null,
            method: req.method,
            path: req.originalUrl.slice(0, 500),
            ip: req.ip ?? null,
            action: `${req.method} ${req.route?.path ?? req.path}`.slice(0, 200),
            subjectId: subjectId ?? null,
            status: res.statusCode,
            detail: {
              idempotencyKey: req.header('idempotency-key') ?? null,
              // A refused or failed request keeps its reason (set by errorHandler).
              ...(res.locals.error ? { error: res.locals.error } : {}),
            },
          },
        })
        .catch((err: unknown) => req.log.error({ err }, 'audit write failed'));
    });
    next();
  };
}
