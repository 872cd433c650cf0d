import { Account } from '@assises/accounts';
import { Edition, EditionRole, EditionStatus, Membership } from '@assises/editions';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AccountOverrides, createAccount, CreatedAccount } from './account.factory';

/** An existing account, or the overrides of one to create. */
type MemberSpec = Account | AccountOverrides;

export interface EditionOverrides {
  slug?: string;
  title?: string;
  hostCity?: string;
  timezone?: string;
  startsAt?: Date;
  endsAt?: Date;
  status?: EditionStatus;
  defaultLocale?: 'fr' | 'en';
  capacity?: number;
  /** Who holds which role. Default: one owner, created for the edition. */
  members?: Partial<Record<EditionRole, MemberSpec>>;
}

export interface CreatedEdition {
  edition: Edition;
  members: Partial<Record<EditionRole, Account | CreatedAccount>>;
}

const DAY = 24 * 60 * 60 * 1000;

function isAccount(spec: MemberSpec): spec is Account {
  return typeof (spec as Account).id === 'string';
}

/**
 * A valid edition (draft, three months ahead, two days, 300 seats) with its team in one call:
 * `createEdition(ds, { members: { owner: {}, reviewer: someAccount } })`.
 */
export async function createEdition(
  ds: DataSource,
  overrides: EditionOverrides = {},
): Promise<CreatedEdition> {
  const suffix = randomBytes(4).toString('hex');
  const startsAt = overrides.startsAt ?? new Date(Date.now() + 90 * DAY);
  const values = {
    slug: overrides.slug ?? `assises-${suffix}`,
    title: overrides.title ?? `Assises du coworking ${suffix}`,
    hostCity: overrides.hostCity ?? 'Clermont-Ferrand',
    timezone: overrides.timezone ?? 'Europe/Paris',
    startsAt,
    endsAt: overrides.endsAt ?? new Date(startsAt.getTime() + 2 * DAY),
    status: overrides.status ?? EditionStatus.Draft,
    defaultLocale: overrides.defaultLocale ?? 'fr',
    capacity: overrides.capacity ?? 300,
  };
  const inserted = await ds
    .createQueryBuilder()
    .insert()
    .into(Edition)
    .values(values)
    .returning(['id'])
    .execute();
  const edition = await ds.manager.findOneOrFail(Edition, {
    where: { id: (inserted.raw as { id: string }[])[0].id },
  });

  const members: CreatedEdition['members'] = {};
  const specs = overrides.members ?? { [EditionRole.Owner]: {} };
  for (const role of Object.values(EditionRole)) {
    const spec = specs[role];
    if (!spec) continue;
    const account = isAccount(spec) ? spec : await createAccount(ds, spec);
    await ds.manager.insert(Membership, { editionId: edition.id, accountId: account.id, role });
    members[role] = account;
  }
  return { edition, members };
}
