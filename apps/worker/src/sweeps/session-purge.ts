import { AuthService } from '@assises/accounts';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

const EVERY_MS = 60 * 60 * 1000;

/**
 * Deletes expired sessions at start and every hour. Expired sessions already open nothing;
 * this only keeps the table small. Idempotent, so every worker may run it.
 */
@Injectable()
export class SessionPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionPurge.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly auth: AuthService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.purge();
    this.timer = setInterval(() => void this.purge(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    try {
      const removed = await this.auth.purgeExpiredSessions();
      if (removed > 0) this.logger.log(`removed ${removed} expired session(s)`);
      return removed;
    } catch (error) {
      this.logger.warn(`could not purge expired sessions: ${(error as Error).message}`);
      return 0;
    }
  }
}
