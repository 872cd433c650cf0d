import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, hashSecret, isLocale, newSecret } from '@assises/core';
import { AuditLog } from '@assises/database';
import { MailOutbox } from '@assises/mail';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { AccountService } from './account.service';
import { InvalidLinkError } from './accounts.errors';
import { AuthService } from './auth.service';
import { PasswordReset } from './password-reset.entity';

const RESET_TTL_MINUTES = 60;

/** Password reset by emailed link: single use, expiring, and silent about unknown addresses. */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountService,
    private readonly auth: AuthService,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** Always resolves the same way, whether the address has an account or not. */
  async request(email: string): Promise<void> {
    const account = await this.accounts.findByEmail(email);
    if (!account || account.disabledAt) return;
    const token = newSecret();
    const ids = await this.dataSource.transaction(async (em) => {
      const reset = await em.save(PasswordReset, {
        accountId: account.id,
        tokenHash: hashSecret(token),
        expiresAt: new Date(this.clock.now().getTime() + RESET_TTL_MINUTES * 60_000),
        usedAt: null,
      });
      return this.outbox.stage(em, [
        {
          to: account.email,
          name: account.name,
          template: 'password-reset',
          locale: isLocale(account.locale) ? account.locale : 'fr',
          purpose: `password-reset:${reset.id}`,
          data: {
            name: account.name,
            resetUrl: `${this.config.publicUrl}/admin/password/reset/${token}`,
            expiresInMinutes: RESET_TTL_MINUTES,
          },
        },
      ]);
    });
    await this.outbox.dispatch(ids);
  }

  /** Checks a link without using it (the page that asks for the new password). */
  async check(token: string): Promise<void> {
    const found = await this.dataSource.manager.findOne(PasswordReset, {
      where: { tokenHash: hashSecret(token), usedAt: IsNull() },
    });
    if (!found || found.expiresAt <= this.clock.now()) throw new InvalidLinkError();
  }

  /** Uses the link once: sets the password and signs the account out everywhere. */
  async reset(token: string, password: string): Promise<string> {
    const accountId = await this.dataSource.transaction(async (em) => {
      // For an UPDATE, TypeORM's query() resolves to [returned rows, affected count].
      const [rows] = await em.query<[{ account_id: string }[], number]>(
        `UPDATE password_resets SET used_at = now()
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
          RETURNING account_id`,
        [hashSecret(token), this.clock.now()],
      );
      const row = rows[0];
      if (!row) throw new InvalidLinkError();
      await this.accounts.setPassword(row.account_id, password, em);
      await this.audit.record(em, {
        subjectType: 'account',
        subjectId: row.account_id,
        actorId: row.account_id,
        action: 'password_reset',
      });
      return row.account_id;
    });
    await this.auth.logoutEverywhere(accountId);
    return accountId;
  }
}
