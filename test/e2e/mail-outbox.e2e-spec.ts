import type { AppConfig } from '@assises/config';
import { MailCategory, MailOutbox, MailTemplates, StageMail } from '@assises/mail';
import { simpleParser } from 'mailparser';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { startApi, startWorker, TestApi, TestWorker } from '../harness/app';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { outboxRow, outboxRows, settledRow } from '../harness/outbox';
import { unusedPort } from '../harness/names';
import { SmtpSink, startSmtpSink } from '../harness/smtp';
import { eventually } from '../harness/wait';

describe('Mail outbox', () => {
  let db: TestDatabase;
  let sink: SmtpSink;
  let config: AppConfig;
  let api: TestApi;
  let outbox: MailOutbox;
  let templates: MailTemplates;
  let ds: DataSource;

  /** A password-reset mail to `to`, valid unless overridden. */
  const resetMail = (to: string, overrides: Partial<StageMail> = {}): StageMail => ({
    to,
    name: 'Camille Martin',
    template: 'password-reset',
    locale: 'fr',
    data: templates.sample('password-reset'),
    purpose: `password-reset:${to}`,
    ...overrides,
  });

  /** Stages in one committed transaction, then dispatches, as a service does. */
  async function send(...mails: StageMail[]): Promise<string[]> {
    const ids = await ds.transaction((em) => outbox.stage(em, mails));
    await outbox.dispatch(ids);
    return ids;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpSink();
    config = testConfig(db.url, { MAIL_MAX_ATTEMPTS: '3', SMTP_URL: sink.url });
    api = await startApi(config);
    outbox = api.app.get(MailOutbox);
    templates = api.app.get(MailTemplates);
    ds = api.app.get(DataSource);
  });

  afterEach(async () => {
    await truncateAll(ds);
    sink.reset();
  });

  afterAll(async () => {
    await api?.close();
    await sink?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  describe('through SMTP', () => {
    let worker: TestWorker;

    beforeAll(async () => {
      worker = await startWorker(config);
    });

    afterAll(async () => {
      await worker?.close();
    });

    it('leaves no row and sends nothing when the staging transaction rolls back', async () => {
      let staged: string[] = [];
      await expect(
        ds.transaction(async (em) => {
          staged = await outbox.stage(em, [resetMail('rolled-back@example.org')]);
          throw new Error('the business change failed');
        }),
      ).rejects.toThrow('the business change failed');
      expect(staged).toHaveLength(1);

      await outbox.dispatch(staged); // a careless caller: there is nothing to dispatch
      expect(await outboxRows(ds)).toEqual([]);
      expect(await outbox.sweep()).toBe(0);

      // A mail sent afterwards is the only one that arrives.
      const [id] = await send(resetMail('after@example.org'));
      await settledRow(ds, id, 'sent');
      expect(sink.messages.map((m) => m.envelope.to)).toEqual([['after@example.org']]);
    });

    it('delivers a staged row through Redis and the worker, with the outbox id as Message-ID', async () => {
      const [id] = await send(resetMail('ada@example.org'));

      const row = await settledRow(ds, id, 'sent');
      const [mail] = await sink.waitFor(1);
      expect(row.message_id).toBe(`<${id}@localhost>`);
      expect(row.sent_at).toBeInstanceOf(Date);
      expect(row.attempts).toBe(1);
      expect(row.last_error).toBeNull();
      expect(row.subject).toBe(mail.subject);
      expect(mail.messageId).toBe(`<${id}@localhost>`);
      expect(mail.headers['x-assises-outbox-id']).toBe(id);
      expect(mail.envelope.to).toEqual(['ada@example.org']);
      expect(mail.to).toEqual(['ada@example.org']);
      expect(mail.from).toBe('no-reply@assises.localhost');
      expect(mail.text).toContain('http://localhost:3000/admin/password/reset/abc');
      expect(mail.html).toContain('http://localhost:3000/admin/password/reset/abc');
    });

    it('keeps one row and sends one email when the same recipient and purpose are staged twice', async () => {
      const first = await send(resetMail('twice@example.org', { purpose: 'welcome' }));
      const second = await send(resetMail('Twice@Example.org', { purpose: 'welcome' }));

      expect(first).toHaveLength(1);
      expect(second).toEqual([]);
      await settledRow(ds, first[0], 'sent');
      expect(await outboxRows(ds)).toHaveLength(1);
      expect(sink.to('twice@example.org')).toHaveLength(1);
    });

    it('fails a mail whose template lacks a variable, without contacting the SMTP server', async () => {
      const { resetUrl: _missing, ...data } = templates.sample('password-reset');
      const [id] = await send(resetMail('half@example.org', { data }));

      const row = await settledRow(ds, id);
      expect(row.status).toBe('failed');
      expect(row.attempts).toBe(1);
      expect(row.last_error).toMatch(/^render password-reset\/fr: .*"resetUrl" not defined/);
      expect(row.sent_at).toBeNull();
      expect(sink.transactions).toBe(0);
      expect(sink.messages).toEqual([]);
    });

    it('fails at the first attempt when the server refuses the recipient for good (550)', async () => {
      sink.refuse('gone@example.org', 550);
      const [id] = await send(resetMail('gone@example.org'));

      const row = await settledRow(ds, id);
      expect(row.status).toBe('failed');
      expect(row.attempts).toBe(1);
      expect(row.last_error).toMatch(/550/);
      expect(row.last_error).toMatch(/Mailbox unavailable/);
      expect(sink.rejections.map((r) => r.code)).toEqual([550]);
      expect(sink.messages).toEqual([]);
    });

    it('retries a temporary refusal (451) with growing delays, then sends', async () => {
      sink.refuse('busy@example.org', 451, 2);
      const [id] = await send(resetMail('busy@example.org'));

      const row = await settledRow(ds, id);
      expect(row.status).toBe('sent');
      expect(row.attempts).toBe(3);
      expect(row.last_error).toBeNull();
      const [mail] = sink.to('busy@example.org');
      expect(mail.messageId).toBe(`<${id}@localhost>`);
      const [first, second] = sink.rejections.map((r) => r.at.getTime());
      expect(sink.rejections.map((r) => r.code)).toEqual([451, 451]);
      // Backoff: base after the first failure, twice the base after the second.
      expect(second - first).toBeGreaterThanOrEqual(config.mail.retryBaseMs - 1);
      expect(mail.receivedAt.getTime() - second).toBeGreaterThanOrEqual(
        2 * config.mail.retryBaseMs - 1,
      );
    });

    it('fails after MAIL_MAX_ATTEMPTS temporary refusals', async () => {
      sink.refuse('always-busy@example.org', 451);
      const [id] = await send(resetMail('always-busy@example.org'));

      const row = await settledRow(ds, id);
      expect(row.status).toBe('failed');
      expect(row.attempts).toBe(config.mail.maxAttempts);
      expect(row.last_error).toMatch(/451/);
      expect(sink.rejections).toHaveLength(config.mail.maxAttempts);
      expect(sink.messages).toEqual([]);
    });

    it('adds List-Unsubscribe headers to bulk mail and not to transactional mail', async () => {
      const [bulkId, transactionalId] = await send(
        {
          to: 'member@example.org',
          template: 'invitation',
          locale: 'fr',
          data: templates.sample('invitation'),
          purpose: 'newsletter-2027',
          category: MailCategory.Bulk,
        },
        resetMail('member@example.org'),
      );
      await settledRow(ds, bulkId, 'sent');
      await settledRow(ds, transactionalId, 'sent');

      const bulk = sink.messages.find((m) => m.messageId === `<${bulkId}@localhost>`);
      const transactional = sink.messages.find(
        (m) => m.messageId === `<${transactionalId}@localhost>`,
      );
      expect(bulk?.headers['list-unsubscribe']).toMatch(
        /^<http:\/\/localhost:3000\/unsubscribe\/[\w-]+\.[\w-]+>$/,
      );
      expect(bulk?.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(bulk?.text).toContain('http://localhost:3000/unsubscribe/');
      expect(transactional?.headerNames).not.toContain('list-unsubscribe');
      expect(transactional?.headerNames).not.toContain('list-unsubscribe-post');
    });

    it('never lets a hostile recipient name add a Bcc header', async () => {
      const hostile = 'Eve\r\nBcc: spy@evil.example';
      const [staged] = await send(resetMail('eve@example.org', { name: hostile }));
      // A row written by other means than stage() (an import, a future bug) is guarded at send time too.
      const [{ id: raw }] = await ds.query<{ id: string }[]>(
        `INSERT INTO outbox_messages (recipient, recipient_name, template, locale, data, purpose)
         VALUES ('eve@example.org', $1, 'password-reset', 'en', $2, 'raw-insert') RETURNING id`,
        [hostile, JSON.stringify(templates.sample('password-reset'))],
      );
      await outbox.dispatch([raw]);

      await settledRow(ds, staged, 'sent');
      await settledRow(ds, raw, 'sent');
      const mails = await sink.waitFor(2);
      for (const mail of mails) {
        expect(mail.headerNames).not.toContain('bcc');
        expect(mail.envelope.to).toEqual(['eve@example.org']);
        expect(mail.to).toEqual(['eve@example.org']);
      }
      expect(sink.to('spy@evil.example')).toEqual([]);
    });

    it('cancels bulk mail to an address that unsubscribed, and still sends it transactional mail', async () => {
      await outbox.suppress('Quiet@Example.org');
      const [bulkId, transactionalId] = await send(
        {
          to: 'quiet@example.org',
          template: 'invitation',
          locale: 'en',
          data: templates.sample('invitation'),
          purpose: 'newsletter-2027',
          category: MailCategory.Bulk,
        },
        resetMail('quiet@example.org'),
      );

      const bulk = await settledRow(ds, bulkId);
      const transactional = await settledRow(ds, transactionalId);
      expect(bulk.status).toBe('cancelled');
      expect(bulk.last_error).toBe('unsubscribed');
      expect(transactional.status).toBe('sent');
      expect(sink.to('quiet@example.org').map((m) => m.messageId)).toEqual([
        `<${transactionalId}@localhost>`,
      ]);
    });

    it('holds a scheduled mail until its time, then the sweep sends it', async () => {
      const notBefore = new Date(Date.now() + 2_000);
      const [id] = await send(
        resetMail('later@example.org', { purpose: 'reminder-j1', notBefore }),
      );
      expect((await outboxRow(ds, id)).status).toBe('pending');

      const row = await settledRow(ds, id, 'sent');
      const [mail] = sink.to('later@example.org');
      expect(row.sent_at!.getTime()).toBeGreaterThanOrEqual(notBefore.getTime());
      expect(mail.receivedAt.getTime()).toBeGreaterThanOrEqual(notBefore.getTime());
    });
  });

  describe('when the SMTP server refuses connections', () => {
    let worker: TestWorker;
    let port: number;
    let lateSink: SmtpSink | undefined;

    beforeAll(async () => {
      port = await unusedPort();
      worker = await startWorker(
        testConfig(db.url, {
          MAIL_MAX_ATTEMPTS: '8',
          QUEUE_PREFIX: config.redis.prefix,
          SMTP_URL: `smtp://127.0.0.1:${port}`,
        }),
      );
    });

    afterAll(async () => {
      await worker?.close();
      await lateSink?.close();
    });

    it('keeps the mail pending with the error and later and later retries, then sends it once a server listens', async () => {
      const [id] = await send(resetMail('patient@example.org'));

      const seen = new Map<number, number>(); // attempts → not_before
      const retried = await eventually(
        async () => {
          const row = await outboxRow(ds, id);
          if (row.status === 'pending' && row.attempts > 0)
            seen.set(row.attempts, row.not_before.getTime());
          return seen.size >= 2 && row;
        },
        { what: 'two failed attempts' },
      );
      expect(retried.status).toBe('pending');
      expect(retried.last_error).toMatch(/ECONNREFUSED/);
      const notBefores = [...seen.entries()].sort(([a], [b]) => a - b).map(([, t]) => t);
      expect(notBefores[1]).toBeGreaterThan(notBefores[0]);
      expect(sink.transactions).toBe(0);

      lateSink = await startSmtpSink({ port });
      const row = await settledRow(ds, id, 'sent');
      expect(row.attempts).toBeGreaterThanOrEqual(3);
      expect(row.last_error).toBeNull();
      expect(lateSink.to('patient@example.org').map((m) => m.messageId)).toEqual([
        `<${id}@localhost>`,
      ]);
    });
  });

  describe('in file mode (no SMTP_URL)', () => {
    let worker: TestWorker;
    let fileConfig: AppConfig;

    beforeAll(async () => {
      fileConfig = testConfig(db.url, { QUEUE_PREFIX: config.redis.prefix, SMTP_URL: '' });
      worker = await startWorker(fileConfig);
    });

    afterAll(async () => {
      await worker?.close();
    });

    it('writes each mail as an .eml file under MAIL_DIR', async () => {
      const [id] = await send(resetMail('reader@example.org'));

      const row = await settledRow(ds, id, 'sent');
      const parsed = await simpleParser(await readFile(join(fileConfig.mail.dir, `${id}.eml`)));
      expect(parsed.messageId).toBe(`<${id}@localhost>`);
      expect(parsed.subject).toBe(row.subject);
      expect(parsed.text).toContain('http://localhost:3000/admin/password/reset/abc');
      expect(sink.messages).toEqual([]);
    });
  });
});
