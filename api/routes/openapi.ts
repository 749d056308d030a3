// The OpenAPI 3.1 document of the whole HTTP API, generated from the zod
// schemas the routes validate with, and an interactive reference of it at
// /api/docs (Scalar). Public: mounted before authentication.
//
// The reference works offline: its script is the self-contained browser build
// of @scalar/api-reference served from node_modules (no CDN), started by a
// script file of ours (no inline script, so a `script-src 'self'` policy
// suffices), without Scalar's web fonts or telemetry.
import path from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import { describe, openApiDocument } from '../openapi';
import { contentSecurityPolicy, DOCS_CSP } from '../securityHeaders';

const tags = ['说明'];
describe({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  summary: 'This OpenAPI 3.1 document',
  label: 'OpenAPI 3.1 接口说明文档',
  tags,
  public: true,
  responses: { 200: { description: 'The document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi({ description: 'An OpenAPI 3.1 document' }) } } } },
});
describe({
  method: 'get',
  path: '/docs',
  operationId: 'getApiReference',
  summary: 'The interactive API reference of this document (HTML)',
  label: '接口说明（交互式）',
  tags,
  public: true,
  responses: { 200: { description: 'The reference page', content: { 'text/html': { schema: z.string() } } } },
});

/** The browser build: the package's `browser` entry, next to its main module (its `exports` list neither file). */
const SCALAR_BUNDLE = path.join(path.dirname(require.resolve('@scalar/api-reference')), 'browser/standalone.js');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>duban 督办 API</title>
</head>
<body>
<div id="app"></div>
<script src="/api/docs/assets/before.js"></script>
<script src="/api/docs/assets/scalar.js"></script>
<script src="/api/docs/assets/init.js"></script>
</body>
</html>
`;

const CONFIG = {
  url: '/api/openapi.json',
  withDefaultFonts: false, // fetched from Scalar's servers otherwise
  telemetry: false,
  showOperationId: true,
  hideClientButton: true,
  agent: { disabled: true },
  // Scalar's own toolbar (shown on localhost) advertises its hosted services ("Deploy", "Generate MCP").
  showDeveloperTools: 'never',
  mcp: { disabled: true },
};
const INIT = `Scalar.createApiReference('#app', ${JSON.stringify(CONFIG)});\n`;
// The bundle's zod probes for eval (\`Function('')\`) to compile its parsers; the page's CSP has no
// 'unsafe-eval', so the probe is a reported violation. Jitless, zod does not probe (same results, interpreted).
const BEFORE = 'globalThis.__zod_globalConfig = { jitless: true };\n';

export function openApiRouter(): Router {
  const r = Router();
  r.get('/openapi.json', (_req, res) => void res.json(openApiDocument()));
  r.get('/docs', contentSecurityPolicy(DOCS_CSP), (_req, res) => void res.type('html').send(PAGE));
  // The page's scripts: static files, not operations of the API (so not in the document).
  r.use('/docs/assets', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/init.js') return void res.type('text/javascript').send(INIT);
    if (req.path === '/before.js') return void res.type('text/javascript').send(BEFORE);
    if (req.path === '/scalar.js') return res.type('text/javascript').sendFile(SCALAR_BUNDLE, { maxAge: '1d' });
    next();
  });
  return r;
}
