/**
 * A real SMTP server on loopback that keeps every message it receives, plus a
 * small HTTP API and HTML page to read them. Used by `npm start` (so a person
 * can read what duban sent) and by the tests (which assert on delivered mail
 * instead of mocking nodemailer).
 *
 * HTTP:
 *   GET    /                 HTML list of messages (newest first)
 *   GET    /api/messages     JSON [{id, messageId, from, to, subject, text, html, date, ...}]
 *   DELETE /api/messages     clear all messages (and the .eml files in mailDir)
 *   POST   /api/faults       {"rcpt": "a@b", "responses": [451, 250], "stage"?: "rcpt"|"data"}
 *                            (Content-Type: application/json only, so no cross-site form can post)
 *                            answer the next RCPT (default) or DATA for that
 *                            recipient with these SMTP codes, in order; 250 = accept.
 *   GET    /api/faults       pending faults
 *   DELETE /api/faults       clear pending faults
 *
 * Standalone: `tsx scripts/smtp-sink.ts` (SMTP_PORT, MAIL_UI_PORT, MAIL_DIR from env).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface SinkMessage {
  id: string;
  messageId: string | null;
  /** Header From (falls back to the envelope sender). */
  from: string;
  /** Envelope recipients: who the message was actually delivered to (includes Bcc). */
  to: string[];
  /** Recipients named in the To/Cc headers. */
  headerTo: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  /** ISO date from the Date header (falls back to receipt time). */
  date: string;
  receivedAt: string;
  headers: Record<string, string>;
}

export type FaultStage = 'rcpt' | 'data';

interface Fault {
  stage: FaultStage;
  responses: number[];
}

export interface SmtpSinkOptions {
  /** 0 = pick a free port. */
  smtpPort: number;
  /** 0 = pick a free port. */
  httpPort: number;
  /** If set, every message is also written there as an .eml file (and loaded back at start). */
  mailDir?: string;
  host?: string;
  /** Called for each message received (e.g. to log it). */
  onMessage?: (msg: SinkMessage) => void;
}

export interface SmtpSink {
  smtpUrl: string;
  httpUrl: string;
  smtpPort: number;
  httpPort: number;
  messages(): SinkMessage[];
  stop(): Promise<void>;
}

class SmtpError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

const addressList = (a: AddressObject | AddressObject[] | undefined): string[] => {
  if (!a) return [];
  const list = Array.isArray(a) ? a : [a];
  return list.flatMap((o) => o.value.map((v) => v.address ?? v.name).filter((s): s is string => !!s));
};

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

async function parseMessage(raw: Buffer, id: string, envelopeFrom: string, rcpt: string[], receivedAt: Date): Promise<SinkMessage> {
  const parsed = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
  const headerTo = addressList(parsed.to);
  return {
    id,
    messageId: parsed.messageId ?? null,
    from: parsed.from?.value[0]?.address ?? envelopeFrom,
    // A message loaded from disk has no envelope; fall back to the headers.
    to: rcpt.length > 0 ? rcpt : [...headerTo, ...addressList(parsed.cc)],
    headerTo,
    cc: addressList(parsed.cc),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    date: (parsed.date ?? receivedAt).toISOString(),
    receivedAt: receivedAt.toISOString(),
    headers,
  };
}

function renderHtml(messages: SinkMessage[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) => `<article>
  <h2>${escapeHtml(m.subject || '(no subject)')}</h2>
  <dl>
    <dt>From</dt><dd>${escapeHtml(m.from)}</dd>
    <dt>To</dt><dd>${escapeHtml(m.to.join(', '))}</dd>
    <dt>Date</dt><dd>${escapeHtml(m.date)}</dd>
  </dl>
  <pre>${escapeHtml(m.text)}</pre>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>duban mail sink (${messages.length})</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2em;max-width:60em}
article{border:1px solid #ccc;border-radius:6px;padding:.5em 1em;margin:1em 0}
h2{font-size:1.1em;margin:.3em 0} dl{display:grid;grid-template-columns:5em 1fr;margin:0;color:#444}
dd{margin:0} pre{white-space:pre-wrap;background:#f7f7f7;padding:.5em}
</style></head><body>
<h1>Mail sink — ${messages.length} message(s)</h1>
<p><a href="/">refresh</a> · <a href="/api/messages">JSON</a></p>
${rows || '<p>No mail yet.</p>'}
</body></html>`;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSmtpSink(opts: SmtpSinkOptions): Promise<SmtpSink> {
  const host = opts.host ?? '127.0.0.1';
  const messages: SinkMessage[] = [];
  const faults = new Map<string, Fault>();
  let seq = 0;
  const nextId = () => `${Date.now().toString(36)}-${(++seq).toString(36)}`;

  const mailDir = opts.mailDir ? path.resolve(opts.mailDir) : undefined;
  if (mailDir) {
    fs.mkdirSync(mailDir, { recursive: true });
    // Reload earlier messages so a restarted `npm start` still shows them.
    for (const file of fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort()) {
      const full = path.join(mailDir, file);
      try {
        const stat = fs.statSync(full);
        messages.push(await parseMessage(fs.readFileSync(full), file.replace(/\.eml$/, ''), '', [], stat.mtime));
      } catch (err) {
        process.stderr.write(`[smtp-sink] skipping unreadable ${full}: ${String(err)}\n`);
      }
    }
  }

  /** Next scripted response for this recipient at this stage, if any. */
  const takeFault = (rcpt: string, stage: FaultStage): number | undefined => {
    const key = rcpt.toLowerCase();
    const f = faults.get(key);
    if (!f || f.stage !== stage) return undefined;
    const code = f.responses.shift();
    if (f.responses.length === 0) faults.delete(key);
    return code;
  };

  const smtp = new SMTPServer({
    secure: false,
    // No STARTTLS: nodemailer would upgrade and then reject the self-signed cert.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    // Accept any credentials in clear text so an SMTP_URL with user:pass also works.
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username ?? 'anonymous' });
    },
    logger: false,
    banner: 'duban smtp sink',
    // Pooled clients keep connections open; a sink being stopped need not wait 30 s for them.
    closeTimeout: 1_000,
    onRcptTo(address, _session, cb) {
      const code = takeFault(address.address, 'rcpt');
      if (code !== undefined && code >= 400) {
        return cb(new SmtpError(`Injected fault ${code} for <${address.address}>`, code));
      }
      cb();
    },
    onData(stream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err: Error) => cb(err));
      stream.on('end', () => {
        const rcpt = session.envelope.rcptTo.map((a) => a.address);
        for (const r of rcpt) {
          const code = takeFault(r, 'data');
          if (code !== undefined && code >= 400) {
            return cb(new SmtpError(`Injected fault ${code} for <${r}>`, code));
          }
        }
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const id = nextId();
        parseMessage(raw, id, from, rcpt, new Date())
          .then((msg) => {
            messages.push(msg);
            if (mailDir) fs.writeFileSync(path.join(mailDir, `${id}.eml`), raw);
            opts.onMessage?.(msg);
            cb();
          })
          .catch((err: unknown) => cb(new SmtpError(`Could not parse message: ${String(err)}`, 554)));
      });
    },
  });

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const httpServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sink');
    const route = `${req.method} ${url.pathname}`;
    (async () => {
      switch (route) {
        case 'GET /':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(renderHtml(messages));
          return;
        case 'GET /api/messages':
          return json(res, 200, messages);
        case 'DELETE /api/messages':
          messages.length = 0;
          if (mailDir) {
            for (const f of fs.readdirSync(mailDir)) if (f.endsWith('.eml')) fs.rmSync(path.join(mailDir, f), { force: true });
          }
          res.writeHead(204).end();
          return;
        case 'GET /api/faults':
          return json(res, 200, Object.fromEntries(faults));
        case 'DELETE /api/faults':
          faults.clear();
          res.writeHead(204).end();
          return;
        case 'POST /api/faults': {
          // JSON only: any web page may POST text/plain or a form here without a CORS preflight.
          if ((req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() !== 'application/json') {
            return json(res, 415, { error: 'Content-Type must be application/json' });
          }
          let body: unknown;
          try {
            body = JSON.parse(await readBody(req));
          } catch {
            return json(res, 400, { error: 'body must be JSON' });
          }
          const b = body as { rcpt?: unknown; responses?: unknown; stage?: unknown };
          const stage = b.stage ?? 'rcpt';
          if (
            typeof b.rcpt !== 'string' ||
            !Array.isArray(b.responses) ||
            b.responses.length === 0 ||
            !b.responses.every((c) => Number.isInteger(c) && c >= 200 && c <= 599) ||
            (stage !== 'rcpt' && stage !== 'data')
          ) {
            return json(res, 400, {
              error: 'expected {"rcpt": "<address>", "responses": [451, 250], "stage"?: "rcpt"|"data"}',
            });
          }
          faults.set(b.rcpt.toLowerCase(), { stage, responses: [...(b.responses as number[])] });
          return json(res, 201, { rcpt: b.rcpt, stage, responses: b.responses });
        }
        default:
          return json(res, 404, { error: `no route ${route}` });
      }
    })().catch((err: unknown) => json(res, 500, { error: String(err) }));
  });

  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(opts.smtpPort, host, () => resolve());
  });
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(opts.httpPort, host, () => resolve());
    });
  } catch (err) {
    await new Promise<void>((r) => smtp.close(() => r()));
    throw err;
  }
  // smtp-server logs socket errors to the console by default; keep them quiet.
  smtp.on('error', (err) => process.stderr.write(`[smtp-sink] ${String(err)}\n`));
  // smtp-server leaves Nagle's algorithm on: each short reply then waits for the
  // client's delayed ACK (~40 ms a command on loopback, bench/RESULTS.md).
  smtp.server.on('connection', (socket: Socket) => socket.setNoDelay(true));

  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (httpServer.address() as AddressInfo).port;

  let stopped = false;
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    httpUrl: `http://${host}:${httpPort}`,
    smtpPort,
    httpPort,
    messages: () => [...messages],
    async stop() {
      if (stopped) return;
      stopped = true;
      httpServer.closeAllConnections();
      await Promise.all([
        new Promise<void>((r) => httpServer.close(() => r())),
        // smtp-server waits for open sessions up to closeTimeout; clients normally QUIT quickly.
        new Promise<void>((r) => smtp.close(() => r())),
      ]);
    },
  };
}

// Standalone use: `tsx scripts/smtp-sink.ts`. Checked via argv rather than
// require.main so it works whether tsx loads this file as CJS or ESM.
if (/smtp-sink\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  const envPort = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);
  startSmtpSink({
    smtpPort: envPort('SMTP_PORT', 2525),
    httpPort: envPort('MAIL_UI_PORT', 8025),
    mailDir: process.env.MAIL_DIR,
    onMessage: (m) => console.log(`[smtp-sink] ${m.date} ${m.from} -> ${m.to.join(', ')}: ${m.subject}`),
  })
    .then((sink) => {
      console.log(`[smtp-sink] SMTP ${sink.smtpUrl}  mail UI ${sink.httpUrl}`);
      const shutdown = () => {
        void sink.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    })
    .catch((err: unknown) => {
      console.error('[smtp-sink] failed to start:', err);
      process.exit(1);
    });
}
