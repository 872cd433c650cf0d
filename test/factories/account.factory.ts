import { Account, PasswordHasher } from '@assises/accounts';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Every account the factory creates signs in with this password unless told otherwise. */
export const DEFAULT_PASSWORD = 'correct-horse-battery';

export interface AccountOverrides {
  email?: string;
  name?: string;
  /** null: an invited account that has not chosen a password yet. */
  password?: string | null;
  locale?: 'fr' | 'en';
  isPlatformAdmin?: boolean;
  disabledAt?: Date | null;
}

export type CreatedAccount = Account & { password: string | null };

const hasher = new PasswordHasher();
// argon2 is slow on purpose: hash the default password once per test file.
let defaultHash: Promise<string> | undefined;

function hashOf(password: string): Promise<string> {
  if (password !== DEFAULT_PASSWORD) return hasher.hash(password);
  defaultHash ??= hasher.hash(DEFAULT_PASSWORD);
  return defaultHash;
}

/** A valid account (argon2id hash of DEFAULT_PASSWORD), unique email, French. */
export async function createAccount(
  ds: DataSource,
  overrides: AccountOverrides = {},
): Promise<CreatedAccount> {
  const suffix = randomBytes(4).toString('hex');
  const password = overrides.password === undefined ? DEFAULT_PASSWORD : overrides.password;
  const values = {
    email: (overrides.email ?? `person-${suffix}@example.org`).toLowerCase(),
    name: overrides.name ?? `Camille ${suffix}`,
    passwordHash: password === null ? null : await hashOf(password),
    locale: overrides.locale ?? 'fr',
    isPlatformAdmin: overrides.isPlatformAdmin ?? false,
    disabledAt: overrides.disabledAt ?? null,
  };
  const inserted = await ds
    .createQueryBuilder()
    .insert()
    .into(Account)
    .values(values)
    .returning(['id'])
    .execute();
  const id = (inserted.raw as { id: string }[])[0].id;
  const account = await ds.manager.findOneOrFail(Account, { where: { id } });
  return Object.assign(account, { password });
}
