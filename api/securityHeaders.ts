// Security headers of every answer (helmet): no MIME sniffing, no framing by
// other sites, no referrer, HSTS behind TLS, and a Content-Security-Policy per
// kind of answer. The API's JSON is data, never a page: nothing may load from
// it. The web console and the API reference (/api/docs) override that policy
// with their own (a later middleware's header replaces the earlier one).
import type { RequestHandler } from 'express';
import helmet from 'helmet';

type Directives = Record<string, string[]>;

const API: Directives = { defaultSrc: ["'none'"], frameAncestors: ["'self'"], baseUri: ["'none'"], formAction: ["'none'"] };

/** The Vue console (dist/web): its own scripts only; Element Plus positions popups with inline styles. */
export const CONSOLE_CSP: Directives = {
  defaultSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'self'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
};

/** The Scalar reference: our two script files (no inline script), the styles it injects, the document it fetches. */
export const DOCS_CSP: Directives = { ...CONSOLE_CSP, connectSrc: ["'self'"] };

export function securityHeaders(): RequestHandler {
  // Served over plain HTTP inside an intranet too: upgrade-insecure-requests (helmet's default) would break it.
  return helmet({ contentSecurityPolicy: { useDefaults: false, directives: API } });
}

/** Replaces the API's policy for the answers of one router. */
export const contentSecurityPolicy = (directives: Directives): RequestHandler => helmet.contentSecurityPolicy({ useDefaults: false, directives });
