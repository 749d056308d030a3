/**
 * Proves the services started by tests/support/globalSetup.ts are real and
 * reachable: PostgreSQL, the Temporal dev server and the SMTP sink (including
 * its fault injection).
 */
import { Connection } from '@temporalio/client';
import nodemailer from 'nodemailer';
import { Client } from 'pg';
import { injectSmtpFault, waitForMail } from '../support/mailbox';

describe('test stack', () => {
  it('has a PostgreSQL database answering queries', async () => {
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number; db: string }>('select 1 as one, current_database() as db');
      expect(rows[0]?.one).toBe(1);
      expect(rows[0]?.db).toMatch(/^duban_test_/);
    } finally {
      await client.end();
    }
  });

  it('has a Temporal server answering on TEMPORAL_ADDRESS', async () => {
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toBeTruthy();
      const ns = await connection.workflowService.describeNamespace({ namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
      expect(ns.namespaceInfo?.name).toBe(process.env.TEMPORAL_NAMESPACE ?? 'default');
    } finally {
      await connection.close();
    }
  });

  describe('SMTP sink', () => {
    const transport = nodemailer.createTransport(process.env.SMTP_URL);
    afterAll(() => transport.close());
    // No clearing of the sink or its faults here: other test files share it and run in parallel;
    // these tests match on their own recipients instead.

    it('receives mail sent with nodemailer, UTF-8 intact', async () => {
      await transport.sendMail({
        from: '督办系统 <duban@example.org>',
        to: '张三 <zhangsan@example.org>',
        subject: '督办提醒：请按时反馈',
        text: '您有一项督办事项即将到期。',
      });
      const mail = await waitForMail((m) => m.to.includes('zhangsan@example.org'), 10_000);
      expect(mail.subject).toBe('督办提醒：请按时反馈');
      expect(mail.text.trim()).toBe('您有一项督办事项即将到期。');
      expect(mail.from).toBe('duban@example.org');
    });

    it('answers with an injected 451 once, then accepts', async () => {
      await injectSmtpFault('flaky@example.org', [451]);
      const msg = { from: 'duban@example.org', to: 'flaky@example.org', subject: 'retry me', text: 'x' };
      await expect(transport.sendMail(msg)).rejects.toMatchObject({ responseCode: 451 });
      const info = await transport.sendMail(msg);
      expect(info.accepted).toEqual(['flaky@example.org']);
      await waitForMail((m) => m.subject === 'retry me');
    });

    it('can fail at DATA with a permanent 550', async () => {
      await injectSmtpFault('gone@example.org', [550], 'data');
      await expect(
        transport.sendMail({ from: 'duban@example.org', to: 'gone@example.org', subject: 'never', text: 'x' }),
      ).rejects.toMatchObject({ responseCode: 550 });
    });
  });
});
