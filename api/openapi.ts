// The OpenAPI 3.1 document is generated from the same zod schemas the routes
// validate with: each route module registers its paths here, next to the route.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// registry.register() names schemas through zod's `.openapi()`, which exists
// only once zod is extended (zod-to-openapi 8 with zod 4).
extendZodWithOpenApi(z);

export const registry = new OpenAPIRegistry();
registry.registerComponent('securitySchemes', 'bearer', {
  type: 'http',
  scheme: 'bearer',
  description: "An official's API token (`npm run token`, or 管理 → 访问令牌 in the console). The console itself signs in with a session cookie instead.",
});

const ERROR_CODES = { 400: 'VALIDATION_FAILED', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 429: 'RATE_LIMITED', 500: 'INTERNAL', 503: 'UNAVAILABLE' } as const;
export type ErrorStatus = keyof typeof ERROR_CODES;

/** The one error shape of every failure. */
export const ErrorBody = registry.register(
  'Error',
  z
    .object({
      error: z.object({
        code: z.enum(Object.values(ERROR_CODES)),
        message: z.string().openapi({ description: 'For the person in front of the console: in Chinese.' }),
        details: z.unknown().optional().openapi({ description: "zod's issues for VALIDATION_FAILED" }),
      }),
    })
    .openapi({ description: 'Every failure answers this shape; `code` follows the HTTP status.' }),
);

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'The request is malformed (zod issues in `details`); nothing changed.',
  401: 'No valid token or session.',
  403: 'The caller may not do this.',
  404: 'The subject does not exist.',
  409: 'The workflow refuses the step in its present state (its reason in `message`).',
  429: 'Too many requests; retry later.',
  500: 'An unexpected failure.',
  503: 'A dependency (PostgreSQL, Temporal or the mailer) is unavailable; retry later.',
};
const errorResponse = (status: ErrorStatus) => ({ description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: ErrorBody } } });

const registered = new Set<string>();
const operationIds = new Set<string>();

export interface RouteDescription extends Omit<RouteConfig, 'responses' | 'summary' | 'operationId'> {
  /** Unique, camelCase: the method name client generators give the call. */
  operationId: string;
  /** English, for developers. */
  summary: string;
  /** Chinese: how audit views name a request to this route (api/admin/routes.ts); also in the document as `x-label`. */
  label: string;
  /** The success answers (at least one 2xx, with its schema). */
  responses: RouteConfig['responses'];
  /**
   * Error statuses this route answers besides the automatic ones: 500 always;
   * 401, 429 and 503 behind authentication, and 403 for a write (the session's
   * CSRF check); 400 when it takes parameters or a body; 404 when its path
   * names something.
   */
  errors?: ErrorStatus[];
  /** Before authentication (no token needed). */
  public?: boolean;
}

/**
 * Registers a route. `path` uses express syntax (`/documents/:id`); it is
 * rewritten to OpenAPI's `{id}`.
 */
export function describe(route: RouteDescription): void {
  const { public: isPublic, label, errors = [], ...rest } = route;
  const path = `/api${route.path.replace(/:(\w+)/g, '{$1}')}`;
  // Routers built inside factories describe their routes once per app: keep the first.
  if (registered.has(`${route.method} ${path}`)) return;
  registered.add(`${route.method} ${path}`);
  if (operationIds.has(route.operationId)) throw new Error(`duplicate operationId ${route.operationId} (${route.method} ${path})`);
  operationIds.add(route.operationId);
  if (!Object.keys(route.responses).length) throw new Error(`${route.method} ${path}: no answer described`);
  const r = route.request;
  const takesInput = !!(r?.params || r?.query || r?.body || r?.headers);
  const statuses = new Set<ErrorStatus>([
    ...(isPublic ? [] : ([401, 429, 503] as const)),
    ...(isPublic || route.method === 'get' ? [] : [403 as const]),
    ...(takesInput ? [400 as const] : []),
    ...(path.includes('{') ? [404 as const] : []),
    ...errors,
    500,
  ]);
  registry.registerPath({
    ...rest,
    path,
    'x-label': label,
    security: isPublic ? [] : [{ bearer: [] }],
    responses: {
      ...route.responses,
      ...Object.fromEntries([...statuses].sort().map((status) => [status, errorResponse(status)])),
    },
  });
}

export function openApiDocument() {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'duban 督办 API',
      version: '1',
      description:
        'The HTTP API of duban: the reform office’s supervision rules (documents, the monthly 六个一 cycle, innovation selection and rollouts) run as Temporal workflows. ' +
        'Steps are Temporal updates: send an `Idempotency-Key` header to make a repeated request the same step. ' +
        'Texts meant for officials (labels, error messages) are Chinese. Interactive reference: `/api/docs`.',
    },
    servers: [{ url: '/' }],
  });
}
