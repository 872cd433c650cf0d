import { RegistrationService } from '@assises/registration';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

const EVERY_MS = 60 * 1000;

/**
 * Every minute, seats offered from a waiting list and not accepted in time expire and pass to
 * the next person. Rows are locked and re-checked, so every worker may run it at once.
 */
@Injectable()
export class OfferExpirySweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OfferExpirySweep.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly registrations: RegistrationService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    try {
      return await this.registrations.expireOffers();
    } catch (error) {
      this.logger.warn(`could not expire seat offers: ${(error as Error).message}`);
      return 0;
    }
  }
}
