// The e-mail sender activities use: a pooled nodemailer transport over SMTP.
// Connecting and the greeting were most of a message's cost (bench/RESULTS.md);
// a pooled connection pays them once. After a refusal (4xx or 5xx, at RCPT or
// after DATA) the pool resets the session (RSET) and keeps the connection, so
// the next message and the activity's retry go out normally
// (tests/integration/notices.test.ts). SMTP_URL's query may tune the pool,
// e.g. `?maxConnections=10`, or turn it off with `?pool=false`.
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
  const transport = nodemailer.createTransport({ url: smtpUrl, pool: true });
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
