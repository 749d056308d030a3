/**
 * The development mail sink's fault API (scripts/smtp-sink.ts) takes only
 * application/json: a web page may POST text/plain to any address without a
 * CORS preflight, so a text/plain body parsed as JSON would let any site the
 * developer visits script SMTP faults.
 */
import { startSmtpSink, type SmtpSink } from '../../scripts/smtp-sink';

describe('mail sink fault API', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  });
  afterAll(() => sink?.stop());

  const post = (contentType: string) =>
    fetch(`${sink.httpUrl}/api/faults`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify({ rcpt: 'victim@zibo.example.cn', responses: [550] }) });
  const pending = async () => Object.keys((await (await fetch(`${sink.httpUrl}/api/faults`)).json()) as object).length;

  it('refuses the content types a cross-site form or fetch can send without a preflight; accepts application/json', async () => {
    const simple = ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'];
    const statuses = [];
    for (const t of simple) statuses.push((await post(t)).status);
    console.log(`[smtp-sink] cross-site content types refused: ${statuses.filter((s) => s === 415).length}/${simple.length}, faults set by them: ${await pending()}`);
    expect(statuses).toEqual(simple.map(() => 415));
    expect(await pending()).toBe(0);
    expect((await post('application/json; charset=utf-8')).status).toBe(201);
    expect(await pending()).toBe(1);
  });
});
