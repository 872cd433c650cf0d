import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, hashSecret, newSecret } from '@assises/core';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { Account } from './account.entity';
import { AccountService } from './account.service';
import { InvalidCredentialsError } from './accounts.errors';
import { Actor } from './actor';
import { ApiToken } from './api-token.entity';
import { PasswordHasher } from './password-hasher';
import { Session } from './session.entity';

export interface SignedIn {
  token: string;
  expiresAt: Date;
  account: Account;
}

export const API_TOKEN_PREFIX = 'asst_';

function toActor(account: Account): Actor {
  return {
    accountId: account.id,
    name: account.name,
    email: account.email,
    locale: account.locale,
    isPlatformAdmin: account.isPlatformAdmin,
  };
}

/** Signing in and out, and turning a cookie or a bearer token back into an Actor. */
@Injectable()
export class AuthService implements OnModuleInit {
  /** Verified when the email is unknown, so both answers take the same time. */
  private dummyHash = '';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountService,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hasher.hash(newSecret());
  }

  async login(email: string, password: string, userAgent?: string): Promise<SignedIn> {
    const account = await this.accounts.findByEmail(email);
    const ok = await this.hasher.verify(account?.passwordHash ?? this.dummyHash, password);
    if (!account || !ok || account.disabledAt || !account.passwordHash) {
      throw new InvalidCredentialsError();
    }
    await this.dataSource.manager.update(
      Account,
      { id: account.id },
      { lastLoginAt: this.clock.now() },
    );
    return this.openSession(account, userAgent);
  }

  async openSession(account: Account, userAgent?: string): Promise<SignedIn> {
    const token = newSecret();
    const expiresAt = new Date(
      this.clock.now().getTime() + this.config.session.ttlHours * 3_600_000,
    );
    await this.dataSource.manager.insert(Session, {
      accountId: account.id,
      tokenHash: hashSecret(token),
      expiresAt,
      userAgent: userAgent?.slice(0, 300) ?? null,
    });
    return { token, expiresAt, account };
  }

  async logout(token: string): Promise<void> {
    await this.dataSource.manager.delete(Session, { tokenHash: hashSecret(token) });
  }

  /** Ends every session of an account (after a password change). */
  async logoutEverywhere(accountId: string): Promise<void> {
    await this.dataSource.manager.delete(Session, { accountId });
  }

  async actorForSession(token: string | undefined): Promise<Actor | null> {
    if (!token) return null;
    const account = await this.dataSource.manager
      .createQueryBuilder(Account, 'a')
      .innerJoin(Session, 's', 's.account_id = a.id')
      .where('s.token_hash = :hash', { hash: hashSecret(token) })
      .andWhere('s.expires_at > :now', { now: this.clock.now() })
      .andWhere('a.disabled_at IS NULL')
      .getOne();
    return account ? toActor(account) : null;
  }

  async actorForApiToken(token: string | undefined): Promise<Actor | null> {
    if (!token?.startsWith(API_TOKEN_PREFIX)) return null;
    const row = await this.dataSource.manager.findOne(ApiToken, {
      where: { tokenHash: hashSecret(token), revokedAt: IsNull() },
    });
    if (!row) return null;
    const account = await this.dataSource.manager.findOne(Account, {
      where: { id: row.accountId, disabledAt: IsNull() },
    });
    if (!account) return null;
    await this.dataSource.manager.update(
      ApiToken,
      { id: row.id },
      { lastUsedAt: this.clock.now() },
    );
    // A token never carries platform-admin power: it reaches one edition, with one role.
    return {
      ...toActor(account),
      isPlatformAdmin: false,
      token: { id: row.id, editionId: row.editionId, role: row.role },
    };
  }

  async purgeExpiredSessions(): Promise<number> {
    const result = await this.dataSource.manager.delete(Session, {
      expiresAt: LessThan(this.clock.now()),
    });
    return result.affected ?? 0;
  }
}
