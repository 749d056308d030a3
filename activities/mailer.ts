// The e-mail sender activities use: a nodemailer transport over SMTP, one
// connection per message (pooling lost a message after a 451 against our sink:
// to be investigated before turning it on, see the session note).
import nodemailer from 'nodemailer';

export interface Mail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** Error raised by the SMTP server: `responseCode` tells 4xx (retry) from 5xx (give up). */
export interface SmtpError extends Error {
  responseCode?: number;
}

export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        // Deterministic Message-ID: a resend after a crash carries the same id,
        // so receiving systems can tell it is the same message.
        messageId: mail.messageId,
      });
    },
    close: () => transport.close(),
  };
}
