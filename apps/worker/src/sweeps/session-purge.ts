import { AuthService } from '@assises/accounts';
import { Injectable } from '@nestjs/common';
import { IntervalTask } from './periodic';

/**
 * Deletes expired sessions at start and every hour. Expired sessions already open nothing;
 * this only keeps the table small. Idempotent, so every worker may run it.
 */
@Injectable()
export class SessionPurge extends IntervalTask {
  protected readonly every = 60 * 60 * 1000;
  protected readonly what = 'purge expired sessions';

  constructor(private readonly auth: AuthService) {
    super();
  }

  protected async work(): Promise<number> {
    const removed = await this.auth.purgeExpiredSessions();
    if (removed > 0) this.logger.log(`removed ${removed} expired session(s)`);
    return removed;
  }
}
