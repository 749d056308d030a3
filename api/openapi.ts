// The OpenAPI 3.1 document is generated from the same zod schemas the routes
// validate with: each route module registers its paths here, next to the route.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// registry.register() names schemas through zod's `.openapi()`, which exists
// only once zod is extended (zod-to-openapi 8 with zod 4).
extendZodWithOpenApi(z);

export const registry = new OpenAPIRegistry();
registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

/** The one error shape of every failure. */
export const ErrorBody = registry.register(
  'Error',
  z.object({
    error: z.object({
      code: z.enum(['VALIDATION_FAILED', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'UNAVAILABLE', 'INTERNAL']),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  }),
);

const errorResponses = Object.fromEntries(
  [400, 401, 403, 404, 409, 429, 500, 503].map((status) => [status, { description: 'error', content: { 'application/json': { schema: ErrorBody } } }]),
);

const registered = new Set<string>();

function untypedSuccess(method: string): RouteConfig['responses'] {
  return {
    200: { description: 'OK', content: { 'application/json': { schema: z.unknown() } } },
    // Creating routes answer 201 for a new resource or 202 when only started (200 when it already existed).
    ...(method === 'post'
      ? { 201: { description: 'Created', content: { 'application/json': { schema: z.unknown() } } }, 202: { description: 'Accepted (started)', content: { 'application/json': { schema: z.unknown() } } } }
      : {}),
  };
}

/**
 * Registers a route. `path` uses express syntax (`/documents/:id`); it is
 * rewritten to OpenAPI's `{id}`. Every route gets the common error responses.
 * A route that documents its own success answers (api/schemas/views.ts) gets
 * exactly those; others an untyped 200 (and 201/202 for POST).
 */
export function describe(route: Omit<RouteConfig, 'responses'> & { responses?: RouteConfig['responses']; public?: boolean }): void {
  const { public: isPublic, ...rest } = route;
  const path = `/api${route.path.replace(/:(\w+)/g, '{$1}')}`;
  // Routers built inside factories describe their routes once per app: keep the first.
  if (registered.has(`${route.method} ${path}`)) return;
  registered.add(`${route.method} ${path}`);
  registry.registerPath({
    ...rest,
    path,
    security: isPublic ? [] : [{ bearer: [] }],
    responses: {
      ...(Object.keys(route.responses ?? {}).some((status) => status.startsWith('2')) ? {} : untypedSuccess(route.method)),
      ...errorResponses,
      ...route.responses,
    },
  });
}

export function openApiDocument() {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'duban 督办 API', version: '1' },
    servers: [{ url: '/' }],
  });
}
