import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Account } from './account.entity';
import { AccountNotFoundError, EmailTakenError, WeakPasswordError } from './accounts.errors';
import { MIN_PASSWORD_LENGTH, PasswordHasher } from './password-hasher';

export interface NewAccount {
  email: string;
  name: string;
  password?: string | null;
  locale?: string;
  isPlatformAdmin?: boolean;
}

/** Organiser accounts: creation, lookup, passwords. */
@Injectable()
export class AccountService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(input: NewAccount, em: EntityManager = this.dataSource.manager): Promise<Account> {
    if (input.password != null) this.assertStrong(input.password);
    const email = input.email.trim().toLowerCase();
    const passwordHash = input.password != null ? await this.hasher.hash(input.password) : null;
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(Account)
      .values({
        email,
        name: input.name.trim(),
        passwordHash,
        locale: input.locale ?? 'fr',
        isPlatformAdmin: input.isPlatformAdmin ?? false,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (inserted.raw as { id: string }[])[0]?.id;
    if (!id) throw new EmailTakenError();
    return this.get(id, em);
  }

  async get(id: string, em: EntityManager = this.dataSource.manager): Promise<Account> {
    const account = await em.findOne(Account, { where: { id } });
    if (!account) throw new AccountNotFoundError();
    return account;
  }

  findByEmail(email: string, em: EntityManager = this.dataSource.manager): Promise<Account | null> {
    return em
      .createQueryBuilder(Account, 'a')
      .addSelect('a.passwordHash')
      .where('lower(a.email) = lower(:email)', { email: email.trim() })
      .getOne();
  }

  async setPassword(
    accountId: string,
    password: string,
    em: EntityManager = this.dataSource.manager,
  ) {
    this.assertStrong(password);
    await em.update(Account, { id: accountId }, { passwordHash: await this.hasher.hash(password) });
  }

  async update(
    accountId: string,
    changes: Partial<Pick<Account, 'name' | 'locale'>>,
  ): Promise<Account> {
    await this.dataSource.manager.update(Account, { id: accountId }, changes);
    return this.get(accountId);
  }

  async setPlatformAdmin(accountId: string, value: boolean): Promise<void> {
    await this.dataSource.manager.update(Account, { id: accountId }, { isPlatformAdmin: value });
  }

  private assertStrong(password: string): void {
    if (password.length < MIN_PASSWORD_LENGTH) throw new WeakPasswordError();
  }
}
