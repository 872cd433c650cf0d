import { APP_CONFIG, AppConfig } from '@assises/config';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';

/** What a subscriber hears: a notification's payload, or null when some may have been missed. */
export type NotificationHandler = (payload: string | null) => void;

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;
const RETRY_MS = [100, 500, 2_000, 5_000];

/**
 * PostgreSQL's LISTEN/NOTIFY for this process: one dedicated connection (outside the pool),
 * opened when the first channel is listened to and opened again after a failure. Triggers
 * notify; a process that caches what they guard hears it within milliseconds, whichever
 * replica or tool (psql, a migration) made the change. Notifications sent while the
 * connection is down are lost, so every handler hears `null` once it is back (and on the first
 * connection): "anything may have changed", a cache then forgets everything.
 */
@Injectable()
export class DatabaseNotifications implements OnModuleDestroy {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Whether notifications are being received now (a cache may trust its entries longer). */
  get connected(): boolean {
    return this.client !== null && this.connecting === null;
  }

  /** Calls `handler` on each notification of `channel`; returns the unsubscribe function. */
  listen(channel: string, handler: NotificationHandler): () => void {
    if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      const client = this.client;
      if (client && this.connected)
        this.subscribe(client, channel).catch((error: Error) => this.lost(client, error));
    }
    set.add(handler);
    if (!this.client && !this.connecting && !this.retry) void this.connect();
    return () => set.delete(handler);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.retry = null;
    const client = new Client({
      connectionString: this.config.database.url,
      application_name: 'assises-listen',
      connectionTimeoutMillis: this.config.database.poolTimeoutMs,
      keepAlive: true,
    });
    client.on('notification', (message) => this.deliver(message.channel, message.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    this.client = client;
    this.connecting = (async () => {
      try {
        await client.connect();
        for (const channel of this.handlers.keys()) await this.subscribe(client, channel);
        this.failures = 0;
      } catch (error) {
        this.lost(client, error as Error);
      }
    })().finally(() => {
      this.connecting = null;
      // Anything may have changed before LISTEN took effect (or while it was down).
      if (this.client === client)
        for (const channel of this.handlers.keys()) this.deliver(channel, null);
    });
    return this.connecting;
  }

  private async subscribe(client: Client, channel: string): Promise<void> {
    await client.query(`LISTEN ${channel}`);
  }

  private deliver(channel: string, payload: string | null): void {
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        this.logger.error(`handler of ${channel} failed: ${(error as Error).message}`);
      }
    }
  }

  private lost(client: Client, error: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    for (const channel of this.handlers.keys()) this.deliver(channel, null);
    if (this.closed) return;
    const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)];
    this.failures += 1;
    if (error)
      this.logger.warn(`listening connection lost (${error.message}); again in ${delay} ms`);
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }
}
