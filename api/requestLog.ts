// One JSON line per request (pino-http): request id, method, path, route
// template, status, latency, and the official when the caller was authenticated.
// No headers, bodies or query strings: they carry tokens and sign-in codes.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../common/logger';
import { routeTemplate } from './metrics';

/** A caller's X-Request-Id is kept when it is a plain token (a proxy's id joins the two logs); otherwise one is made. */
const REQUEST_ID = /^[\w.-]{1,64}$/;

export function requestLog(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // The request's own fields at the top level, so a log query needs no nesting. pino-http asks
    // at the start too, when neither is known: nothing then, or the line would carry two "route"s.
    customProps: (req: IncomingMessage, res: ServerResponse) => {
      if (!res.headersSent) return {};
      const r = req as Request;
      return { route: routeTemplate(r), ...(r.caller ? { officialId: r.caller.officialId } : {}) };
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customAttributeKeys: { responseTime: 'latencyMs' },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    // The health check runs every few seconds: it would bury the requests.
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/healthz' },
  });
}
