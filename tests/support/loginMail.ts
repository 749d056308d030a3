/**
 * Reads one-time codes from the SMTP sink, as their owner reads them: console
 * sign-in codes from an official's mailbox (`codeMails(email)` before asking,
 * then `nextLoginCode(email, before)` waits for the new one), and the public
 * vote's SMS codes from the development SMS channel's mailbox of a phone
 * (`smsCodes(phone)`, `nextSmsCode(phone, before)`).
 */
import { smsMailbox } from '../../activities/sms';
import { eventually } from './eventually';
import { mailTo } from './mailbox';

const LOGIN_CODE = /登录验证码 (\d{6})/;
const VOTE_CODE = /验证码(\d{6})/;

async function codes(address: string, pattern: RegExp): Promise<string[]> {
  return (await mailTo(address)).flatMap((m) => pattern.exec(m.subject)?.[1] ?? []);
}

async function nextCode(address: string, pattern: RegExp, before: number): Promise<string> {
  const found = await eventually(() => codes(address, pattern), (cs) => cs.length > before, 15_000);
  if (found.length <= before) throw new Error(`no code reached ${address}`);
  return found[found.length - 1];
}

export async function codeMails(email: string): Promise<number> {
  return (await codes(email, LOGIN_CODE)).length;
}

export const nextLoginCode = (email: string, before: number) => nextCode(email, LOGIN_CODE, before);

export async function smsCodes(phone: string): Promise<number> {
  return (await codes(smsMailbox(phone), VOTE_CODE)).length;
}

export const nextSmsCode = (phone: string, before: number) => nextCode(smsMailbox(phone), VOTE_CODE, before);
