// The console's only way to the API: openapi-fetch typed by the OpenAPI
// document (schema.d.ts is generated from it by scripts/build-web.sh), so a
// changed route or answer is a type error here, not a broken page.
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };
export type Schemas = components['schemas'];
type Json<R, S extends number> = R extends { [K in S]: { content: { 'application/json': infer J } } } ? J : never;
/** The JSON a route answers with (200, else 201). */
export type Answer<P extends keyof paths, M extends 'get' | 'post' | 'delete'> = paths[P][M] extends { responses: infer R }
  ? [Json<R, 200>] extends [never]
    ? Json<R, 201>
    : Json<R, 200>
  : never;
/** The JSON body a POST route takes. */
export type BodyOf<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { 'application/json': infer B } } } } ? B : never;

let csrfToken: string | null = null;
/** The session's CSRF token, echoed on every write (api/sessions.ts). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the session is gone (expired, signed out elsewhere). */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}

export const api = createClient<paths>({ baseUrl: '/', credentials: 'same-origin' });
api.use({
  onRequest({ request }) {
    if (request.method !== 'GET' && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/api/auth/')) onUnauthorized();
    return response;
  },
});

/** The API's one error shape. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type ErrorBody = { error?: { code?: string; message?: string; details?: unknown } };

/** The answer's data, or an ApiFailure carrying the API's Chinese message (e.g. the workflow's reason for refusing a step). */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await pending;
  } catch {
    throw new ApiFailure(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (r.error !== undefined || !r.response.ok) {
    const e = (r.error as ErrorBody | undefined)?.error;
    throw new ApiFailure(r.response.status, e?.code ?? 'INTERNAL', e?.message ?? `请求失败（${r.response.status}）`, e?.details);
  }
  return r.data as T;
}

/** A fresh Idempotency-Key: one per form submission, so a retried click has one effect. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
