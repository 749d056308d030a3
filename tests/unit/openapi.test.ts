/**
 * The OpenAPI document as client generators need it, and the interactive
 * reference at /api/docs, without any service: the app is built with lazy
 * connections (as scripts/openapi.ts does). `redocly lint` in npm test checks
 * the rest of the document.
 */
import { Client } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createDb } from '../../common/db';

const db = createDb('postgresql://openapi@127.0.0.1:1/openapi', 1);
const app = createApp({ db, client: new Client() });

afterAll(() => db.$disconnect());

type Operation = { operationId?: string; summary?: string; responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }> };

describe('OpenAPI document', () => {
  it('gives every operation an operationId, a summary and a non-empty schema for each 2xx with a body', async () => {
    const res = await request(app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const operations = Object.entries(res.body.paths as Record<string, Record<string, Operation>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(60);
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.filter((id) => !id || !/^[a-z][A-Za-z0-9]+$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operations.filter(({ op }) => !op.summary).map((o) => o.name)).toEqual([]);

    const empty = operations.flatMap(({ name, op }) =>
      Object.entries(op.responses)
        .filter(([status]) => status.startsWith('2') && status !== '204')
        .filter(([, r]) => Object.values(r.content ?? {}).every((m) => !m.schema || Object.keys(m.schema).length === 0))
        .map(([status]) => `${name} ${status}`),
    );
    expect(empty).toEqual([]);
    // Only a route that never succeeds has no 2xx: the codec's /encode (refused) and its login (a redirect).
    const withoutSuccess = operations.filter(({ op }) => !Object.keys(op.responses).some((s) => s.startsWith('2'))).map((o) => o.name);
    expect(withoutSuccess.sort()).toEqual(['POST /api/codec/encode', 'POST /api/codec/login']);

    // A month is YYYY-MM; a step answers 409 when its workflow refuses it, a read does not.
    const ranking = res.body.paths['/api/cycles/{month}/ranking'].get;
    const month = ranking.parameters.find((p: { name: string }) => p.name === 'month');
    expect(new RegExp(month.schema.pattern).test('2026-11')).toBe(true);
    expect(new RegExp(month.schema.pattern).test('roadmap')).toBe(false);
    expect(Object.keys(ranking.responses)).not.toContain('409');
    expect(Object.keys(res.body.paths['/api/documents/{id}/draft'].post.responses)).toContain('409');
  });
});

describe('/api/docs', () => {
  it('serves the reference page and its scripts from this server (no CDN)', async () => {
    const page = await request(app).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    const scripts = [...page.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    // before.js makes Scalar's zod jitless (no eval probe under the page's CSP), so it comes first.
    expect(scripts).toEqual(['/api/docs/assets/before.js', '/api/docs/assets/scalar.js', '/api/docs/assets/init.js']);
    // No inline script and nothing from elsewhere: works offline and under a `script-src 'self'` policy.
    expect(page.text).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
    expect(page.text).not.toMatch(/https?:\/\//);

    const bundle = await request(app).get('/api/docs/assets/scalar.js');
    expect(bundle.status).toBe(200);
    expect(bundle.type).toBe('text/javascript');
    expect(bundle.body.length ?? bundle.text.length).toBeGreaterThan(100_000);
    const init = await request(app).get('/api/docs/assets/init.js');
    expect(init.status).toBe(200);
    expect(init.text).toContain('"url":"/api/openapi.json"');
    expect(init.text).toContain('"withDefaultFonts":false');
    // Scalar's toolbar would advertise its hosted services on localhost ("Deploy", "Generate MCP").
    expect(init.text).toContain('"showDeveloperTools":"never"');
  });
});
