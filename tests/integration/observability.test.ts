/**
 * What an ops person reads: the API's request log lines (JSON with request id,
 * route template, official, status and latency, captured from the pino
 * destination) and its Prometheus metrics (scraped after requests: the request
 * histogram and the rate-limit counter move, labelled by templates, never by ids).
 */
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createApiMetrics, metricsApp, type ApiMetrics } from '../../api/metrics';
import { createLogger } from '../../common/logger';
import { tokenFor } from '../support/deps';
import { startDevServerClient, type DevServerClient } from '../support/devServer';
import { eventually } from '../support/eventually';
import { metricSample as sample } from '../support/metrics';

/** A pino destination that keeps every line. */
function captureLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

/** A pino line as the tests read it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed log line: the assertions check its shape
type LogEntry = Record<string, any>;

describe('API logs and metrics', () => {
  let harness: DevServerClient;
  let token: string;
  beforeAll(async () => {
    harness = await startDevServerClient();
    token = await tokenFor(harness.deps.db, 'ro-director');
  });
  afterAll(() => harness?.close());

  function app(opts: { metrics?: ApiMetrics; stream?: Writable; perCaller?: number } = {}) {
    return createApp({
      db: harness.deps.db,
      client: harness.client,
      metrics: opts.metrics,
      logger: opts.stream ? createLogger({ level: 'info', destination: opts.stream }) : undefined,
      rateLimits: opts.perCaller ? { perCaller: opts.perCaller } : undefined,
    });
  }

  it('a request is one JSON line: request id (also in X-Request-Id), route template, official, status, latency; no headers', async () => {
    const { lines, stream } = captureLines();
    const res = await request(app({ stream })).get('/api/documents/no-such-document').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(404);
    const entries = await eventually(async () => lines.map((l) => JSON.parse(l) as LogEntry).filter((e) => e.msg === 'request'), (e) => e.length > 0);
    process.stdout.write(`[observability] request log line: ${lines[lines.length - 1]}\n`);
    expect(lines[lines.length - 1].match(/"route":/g)).toHaveLength(1);
    expect(entries).toHaveLength(1);
    const [e] = entries;
    expect(e).toMatchObject({
      level: 30,
      route: '/api/documents/:id',
      officialId: 'ro-director',
      req: { id: res.headers['x-request-id'], method: 'GET', path: '/api/documents/no-such-document' },
      res: { status: 404 },
    });
    expect(typeof e.latencyMs).toBe('number');
    expect(typeof e.time).toBe('number');
    expect(JSON.stringify(e)).not.toContain(token);

    // A proxy's request id is kept, so its log and ours join.
    const given = await request(app({ stream })).get('/healthz').set('X-Request-Id', 'proxy-abc.123');
    expect(given.headers['x-request-id']).toBe('proxy-abc.123');
    const anonymous = await request(app({ stream })).get('/api/inbox');
    expect(anonymous.status).toBe(401);
    const refused = await eventually(async () => lines.map((l) => JSON.parse(l) as LogEntry).find((x) => x.req?.path === '/api/inbox'), Boolean);
    expect(refused).toMatchObject({ res: { status: 401 } });
    expect(refused).not.toHaveProperty('officialId');
  });

  it('/metrics: the request histogram by route template and status, and the rate-limit refusals, move', async () => {
    const metrics = createApiMetrics();
    const api = app({ metrics, perCaller: 2 });
    const scrape = async () => {
      const res = await request(metricsApp(metrics)).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      return res.text;
    };
    const inbox = { method: 'GET', route: '/api/inbox', status: '200' };
    const before = await scrape();
    expect(sample(before, 'duban_http_request_duration_seconds_count', inbox)).toBe(0);

    expect((await request(api).get('/api/inbox').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    expect((await request(api).get('/api/documents/doc-x').set('Authorization', `Bearer ${token}`)).status).toBe(404);
    // The third request within the window is one too many for this caller.
    expect((await request(api).get('/api/inbox').set('Authorization', `Bearer ${token}`)).status).toBe(429);

    // Refused before any route matched: no template to name.
    const refused = { method: 'GET', route: 'unmatched', status: '429' };
    const after = await eventually(scrape, (t) => sample(t, 'duban_http_request_duration_seconds_count', refused) === 1);
    process.stdout.write(`[observability] ${after.split('\n').filter((l) => l.startsWith('duban_') && !l.includes('_bucket')).join('; ')}\n`);
    expect(sample(after, 'duban_http_request_duration_seconds_count', inbox)).toBe(1);
    expect(sample(after, 'duban_http_request_duration_seconds_bucket', { ...inbox, le: '+Inf' })).toBe(1);
    expect(sample(after, 'duban_http_request_duration_seconds_sum', inbox)).toBeGreaterThan(0);
    expect(sample(after, 'duban_http_request_duration_seconds_count', { method: 'GET', route: '/api/documents/:id', status: '404' })).toBe(1);
    expect(sample(after, 'duban_http_request_duration_seconds_count', refused)).toBe(1);
    expect(sample(after, 'duban_rate_limit_refusals_total', { limit: 'caller' })).toBe(1);
    // Templates only: no document id, no official in any label.
    expect(after).not.toContain('doc-x');
    expect(after).not.toContain('ro-director');
  });
});
