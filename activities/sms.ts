// Text messages to citizens' phones (the public vote's verification codes,
// api/innovationVoting.ts). A channel is chosen by configuration (SMS_CHANNEL):
// "mail" delivers each message as an e-mail to <phone>@sms.invalid through the
// SMTP server (in development the mail sink, where tests and developers read
// it); "off" has none, and asking for a code answers 503. A real SMS gateway
// is another implementation of SmsChannel, selected the same way.
import type { Config } from '../common/config';
import type { Mailer } from './mailer';

export interface Sms {
  /** Mainland mobile number, 11 digits. */
  phone: string;
  text: string;
  /** Stable id of this message (a resend after a crash carries the same one). */
  id: string;
}

export interface SmsChannel {
  send(sms: Sms): Promise<void>;
}

/** The mailbox the mail channel delivers a phone's messages to (.invalid: never a real domain). */
export const smsMailbox = (phone: string) => `${phone}@sms.invalid`;

/** Development channel: the message as an e-mail, its text as subject and body. */
export function mailSmsChannel(mailer: Mailer): SmsChannel {
  return {
    async send(sms) {
      await mailer.send({ messageId: `<sms-${sms.id}@duban.local>`, to: smsMailbox(sms.phone), subject: `【短信】${sms.text}`, text: sms.text });
    },
  };
}

/** The channel configuration names (undefined for "off"). */
export function smsChannel(name: Config['SMS_CHANNEL'], mailer: Mailer): SmsChannel | undefined {
  return name === 'mail' ? mailSmsChannel(mailer) : undefined;
}
