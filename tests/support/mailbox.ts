/**
 * Helpers over the SMTP sink's HTTP API (MAIL_API_URL, set by globalSetup), so
 * tests assert on mail that was really delivered over SMTP.
 */
import type { FaultStage, SinkMessage } from '../../scripts/smtp-sink';

export type { SinkMessage };

function apiUrl(pathname: string): string {
  const base = process.env.MAIL_API_URL;
  if (!base) throw new Error('MAIL_API_URL is not set: run the tests through jest (globalSetup starts the SMTP sink)');
  return new URL(pathname, base).toString();
}

async function call(method: string, pathname: string, body?: unknown): Promise<Response> {
  const res = await fetch(apiUrl(pathname), {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${pathname} -> ${res.status} ${await res.text()}`);
  return res;
}

/** All messages received so far, oldest first. */
export async function listMail(): Promise<SinkMessage[]> {
  return (await (await call('GET', '/api/messages')).json()) as SinkMessage[];
}

/** Forgets all received messages. */
export async function clearMail(): Promise<void> {
  await call('DELETE', '/api/messages');
}

/**
 * Polls until a message matching `pred` arrives; returns it. Throws after
 * `timeoutMs` listing what did arrive, to make failures readable.
 */
export async function waitForMail(pred: (m: SinkMessage) => boolean, timeoutMs = 60_000): Promise<SinkMessage> {
  const deadline = Date.now() + timeoutMs;
  let seen: SinkMessage[];
  for (;;) {
    seen = await listMail();
    const hit = seen.find(pred);
    if (hit) return hit;
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const summary = seen.map((m) => `  ${m.to.join(',')}: ${m.subject}`).join('\n') || '  (none)';
  throw new Error(`no matching mail within ${timeoutMs} ms; received:\n${summary}`);
}

/** Mail delivered to `address` (envelope recipient), oldest first. */
export async function mailTo(address: string): Promise<SinkMessage[]> {
  const a = address.toLowerCase();
  return (await listMail()).filter((m) => m.to.some((t) => t.toLowerCase() === a));
}

/**
 * Makes the sink answer the next RCPT (or DATA) for `rcpt` with these SMTP
 * codes in order, e.g. [451, 250] = one temporary failure, then accept.
 */
export async function injectSmtpFault(rcpt: string, responses: number[], stage: FaultStage = 'rcpt'): Promise<void> {
  await call('POST', '/api/faults', { rcpt, responses, stage });
}

export async function clearSmtpFaults(): Promise<void> {
  await call('DELETE', '/api/faults');
}
