import { RegistrationService } from '@assises/registration';
import { Injectable } from '@nestjs/common';
import { IntervalTask } from './periodic';

/**
 * Every minute, seats offered from a waiting list and not accepted in time expire and pass to
 * the next person. Rows are locked and re-checked, so every worker may run it at once.
 */
@Injectable()
export class OfferExpirySweep extends IntervalTask {
  protected readonly every = 60_000;
  protected readonly what = 'expire seat offers';

  constructor(private readonly registrations: RegistrationService) {
    super();
  }

  protected work(): Promise<number> {
    return this.registrations.expireOffers();
  }
}
