import { Account, AccountService, PasswordHasher } from '@assises/accounts';
import { AuditLog } from '@assises/database';
import { Edition, EditionRole, EditionStatus, Membership, toInstant } from '@assises/editions';
import { DataSource, EntityManager } from 'typeorm';
import { upcomingEditionDates } from './demo-calendar';
import { seedDemoContributions } from './demo-contributions';
import { seedDemoRegistration } from './demo-registration';
import { seedDemoSurvey } from './demo-surveys';
import { seedProgrammeDemo } from './seed-programme';

/** The shared password of the demo accounts; printed by `npm start`, never used in production. */
export const DEMO_PASSWORD = 'assises-demo';

export const DEMO_ACCOUNTS = {
  organiser: {
    email: 'organisation@assises.localhost',
    name: 'Équipe d’organisation',
    isPlatformAdmin: true,
  },
  reviewer: {
    email: 'relecture@assises.localhost',
    name: 'Camille Relecture',
    isPlatformAdmin: false,
  },
  volunteer: {
    email: 'benevole@assises.localhost',
    name: 'Sacha Bénévole',
    isPlatformAdmin: false,
  },
} as const;

export interface DemoSeed {
  accounts: Record<keyof typeof DEMO_ACCOUNTS, Account>;
  editions: { past: Edition; upcoming: Edition };
}

const TIMEZONE = 'Europe/Paris';

/**
 * Loads the demo data (the 2017 Lyon edition with its confirmed contributions, next year's edition
 * in Clermont-Ferrand with an open call and a dozen proposals, and three accounts) in one
 * transaction, only into a database with no edition yet. Returns what it created, or null when it
 * left the database alone.
 */
export async function seedDemo(
  dataSource: DataSource,
  today: Date = new Date(),
): Promise<DemoSeed | null> {
  const accountService = new AccountService(dataSource, new PasswordHasher());
  const audit = new AuditLog();
  return dataSource.transaction(async (em) => {
    // Two `npm start` at once must not both seed.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('assises:seed-demo'))`);
    if ((await em.count(Edition)) > 0) return null;

    const accounts = {} as DemoSeed['accounts'];
    for (const key of Object.keys(DEMO_ACCOUNTS) as (keyof typeof DEMO_ACCOUNTS)[]) {
      const demo = DEMO_ACCOUNTS[key];
      const existing = await accountService.findByEmail(demo.email, em);
      accounts[key] =
        existing ?? (await accountService.create({ ...demo, password: DEMO_PASSWORD }, em));
    }
    // An organiser account made earlier (admin:create) is reused, and must run the platform.
    await em.update(Account, { id: accounts.organiser.id }, { isPlatformAdmin: true });

    const past = await insertEdition(em, {
      slug: 'lyon-2017',
      title: 'Assises nationales du coworking 2017',
      hostCity: 'Lyon',
      description:
        'La première rencontre nationale des espaces de coworking : environ 200 personnes venues de ' +
        'toute la France pour une journée d’ateliers et d’échanges, portée par plus de 30 bénévoles.',
      startsAt: toInstant('2017-02-03T09:00', TIMEZONE)!,
      endsAt: toInstant('2017-02-03T18:00', TIMEZONE)!,
      status: EditionStatus.Archived,
      capacity: 220,
      attendanceCount: 200,
    });

    const dates = upcomingEditionDates(today);
    const upcoming = await insertEdition(em, {
      slug: `clermont-ferrand-${dates.year}`,
      title: `Assises nationales du coworking ${dates.year}`,
      hostCity: 'Clermont-Ferrand',
      hostOrganisation: 'Réseau des coworkings des Volcans',
      venueName: 'Halle des Tiers-Lieux',
      venueAddress: '12 rue des Volcans, 63000 Clermont-Ferrand',
      description:
        'Deux jours pour les personnes qui font vivre les espaces de coworking et les tiers-lieux : ' +
        'retours d’expérience, ateliers pratiques et temps de rencontre entre réseaux locaux.',
      startsAt: toInstant(dates.startsAt, TIMEZONE)!,
      endsAt: toInstant(dates.endsAt, TIMEZONE)!,
      status: EditionStatus.CfpOpen,
      capacity: 400,
      previousEditionId: past.id,
    });

    await em.insert(Membership, [
      { editionId: past.id, accountId: accounts.organiser.id, role: EditionRole.Owner },
      { editionId: upcoming.id, accountId: accounts.organiser.id, role: EditionRole.Owner },
      { editionId: upcoming.id, accountId: accounts.reviewer.id, role: EditionRole.Reviewer },
      { editionId: upcoming.id, accountId: accounts.volunteer.id, role: EditionRole.Volunteer },
    ]);
    for (const edition of [past, upcoming]) {
      await audit.record(em, {
        subjectType: 'edition',
        subjectId: edition.id,
        editionId: edition.id,
        action: 'create',
        to: edition.status,
        data: { source: 'seed-demo' },
      });
    }
    await seedDemoContributions(em, audit, {
      past,
      upcoming,
      reviewers: [accounts.reviewer, accounts.organiser],
      today,
    });
    await seedProgrammeDemo(em, past, upcoming, accounts.organiser.id);
    await seedDemoRegistration(em, { past, upcoming, today });
    await seedDemoSurvey(em, audit, past);
    return { accounts, editions: { past, upcoming } };
  });
}

async function insertEdition(em: EntityManager, values: Partial<Edition>): Promise<Edition> {
  const edition = em.create(Edition, { timezone: TIMEZONE, defaultLocale: 'fr', ...values });
  return em.save(edition);
}
