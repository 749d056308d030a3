// The API's Prometheus metrics (prom-client): request durations by route
// template, method and status, and the flood limits' refusals. Served by a
// listener of its own (API_METRICS_ADDRESS, api/main.ts), not on the API's port,
// which officials reach: scraping is for the internal network. No label carries
// an official, a document or any other id — routes are templates ("/api/documents/:id").
import type { Request, RequestHandler } from 'express';
import express, { type Express } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  rateLimitRefusals: Counter<'limit'>;
}

/** `processMetrics`: add Node's own (heap, event loop lag, CPU): the API process does, tests building many apps do not. */
export function createApiMetrics({ processMetrics = false } = {}): ApiMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'duban_api_' });
  return {
    registry,
    requestDuration: new Histogram({
      name: 'duban_http_request_duration_seconds',
      help: 'HTTP requests to the API by route template, method and status, from arrival to the last byte of the answer',
      labelNames: ['method', 'route', 'status'],
      // From a cached view (ms) to a step that waits for its workflow's update (seconds).
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    rateLimitRefusals: new Counter({
      name: 'duban_rate_limit_refusals_total',
      help: 'Requests refused with 429 by the flood limits (limit: address = per address before authentication, caller = per official, workflow = steps per workflow)',
      labelNames: ['limit'],
      registers: [registry],
    }),
  };
}

const TEMPLATE = Symbol('routeTemplate');
type Tracked = Request & { [TEMPLATE]?: string };

/**
 * The full template of the route that answered ("/api/documents/:id"), or
 * "unmatched" (the web console's files, unknown paths). Express sets `req.route`
 * inside the router that matched, where `req.baseUrl` is still that router's
 * mount path; by the time the answer is sent an error may have left the router
 * and reset `baseUrl`. So the template is taken when `req.route` is set.
 */
export function routeTemplate(req: Request): string {
  return (req as Tracked)[TEMPLATE] ?? 'unmatched';
}

function trackRoute(req: Request): void {
  let route: unknown = req.route;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: { path?: unknown } | undefined) {
      route = value;
      if (value) (req as Tracked)[TEMPLATE] = `${req.baseUrl}${String(value.path)}`;
    },
  });
}

/** First middleware of the app: follows the route and times every request. */
export function observeRequests(metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    trackRoute(req);
    const end = metrics.requestDuration.startTimer();
    res.once('close', () => end({ method: req.method, route: routeTemplate(req), status: String(res.statusCode) }));
    next();
  };
}

/** GET /metrics in Prometheus' text format. */
export function metricsApp(metrics: ApiMetrics): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return app;
}
