/**
 * Reads console sign-in codes from the SMTP sink, as an official reads them
 * from their mailbox: `codeMails(email)` before asking, then
 * `nextLoginCode(email, before)` waits for the new one.
 */
import { eventually } from './eventually';
import { mailTo } from './mailbox';

const CODE = /登录验证码 (\d{6})/;

export async function codeMails(email: string): Promise<number> {
  return (await mailTo(email)).filter((m) => CODE.test(m.subject)).length;
}

export async function nextLoginCode(email: string, before: number): Promise<string> {
  const mails = await eventually(
    async () => (await mailTo(email)).filter((m) => CODE.test(m.subject)),
    (ms) => ms.length > before,
    15_000,
  );
  if (mails.length <= before) throw new Error(`no sign-in code reached ${email}`);
  return CODE.exec(mails[mails.length - 1].subject)![1];
}
