import { Edition } from '@assises/editions';
import {
  buildSnapshot,
  changelog,
  InterestRegistry,
  ProgrammeLoader,
  ScheduleVersion,
} from '@assises/programme';
import { DEFAULT_CATEGORIES } from '@assises/registration';
import { EntityManager } from 'typeorm';

const DAY = 24 * 60 * 60 * 1000;

const STAKEHOLDERS = [
  'coworking_operator',
  'coworking_operator',
  'coworker_independent',
  'project_holder',
  'local_authority',
  'association_network',
  'company',
  'academic_researcher',
  'other',
];
const TERRITORIES = ['urban', 'urban', 'periurban', 'rural'];
const FIRST = [
  'Camille',
  'Dominique',
  'Alex',
  'Sacha',
  'Claude',
  'Morgane',
  'Yanis',
  'Inès',
  'Léa',
  'Hugo',
];
const LAST = [
  'Martin',
  'Bernard',
  'Roux',
  'Fournier',
  'Girard',
  'Lambert',
  'Bonnet',
  'Faure',
  'Mercier',
  'Blanc',
  'Garnier',
  'Chevalier',
];

/** People on the waiting list of the upcoming edition's full workshop. */
const WORKSHOP_WAITING = 8;

/**
 * Registration for the demo: the 2017 edition with its 200 attendees (their stakeholder mix,
 * most of them checked in) and the upcoming one open for registration with a few dozen people,
 * whose published provisional programme has one workshop full with a waiting list.
 * Rows are written directly (no emails); the seat counters match them.
 */
export async function seedDemoRegistration(
  em: EntityManager,
  { past, upcoming, today }: { past: Edition; upcoming: Edition; today: Date },
): Promise<void> {
  const plans = [
    {
      edition: past,
      opensAt: new Date(past.startsAt.getTime() - 60 * DAY),
      closesAt: new Date(past.startsAt.getTime() - DAY),
      people: 200,
      checkedIn: true,
    },
    {
      edition: upcoming,
      opensAt: new Date(today.getTime() - 7 * DAY),
      closesAt: new Date(upcoming.startsAt.getTime() - 2 * DAY),
      people: 48,
      checkedIn: false,
    },
  ];
  for (const plan of plans) {
    const { edition } = plan;
    await em.query(
      `INSERT INTO registration_settings (edition_id, opens_at, closes_at, seats_left)
       VALUES ($1, $2, $3, $4)`,
      [edition.id, plan.opensAt, plan.closesAt, edition.capacity - plan.people],
    );
    for (const [position, c] of DEFAULT_CATEGORIES.entries())
      await em.query(
        `INSERT INTO ticket_categories (edition_id, key, name_fr, name_en, hidden, position)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [edition.id, c.key, c.nameFr, c.nameEn, c.hidden ?? false, position],
      );
    const people = Array.from({ length: plan.people }, (_, i) => ({
      name: `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
      email: `participant-${i + 1}@${edition.slug}.demo`,
      category: i % 25 === 0 ? 'volunteer' : i % 40 === 1 ? 'speaker' : 'participant',
      stakeholder: STAKEHOLDERS[(i * 5) % STAKEHOLDERS.length],
      territory: TERRITORIES[(i * 3) % TERRITORIES.length],
      publicListing: i % 3 !== 0,
      checkedIn: plan.checkedIn && i % 10 !== 9,
    }));
    await em.query(
      `INSERT INTO registrations (edition_id, category_id, state, name, email, organisation,
         stakeholder_type, territory_type, privacy_notice_version, privacy_consented_at,
         public_listing, manage_token_hash, check_in_code, confirmed_at, checked_in_at)
       SELECT $1, c.id, 'confirmed', p.name, p.email, 'Coworking de démonstration', p.stakeholder,
              p.territory, '1', $2, p.public_listing, md5(random()::text) || md5(p.email),
              upper(substr(md5(random()::text || p.email), 1, 12)), $2,
              CASE WHEN p.checked_in THEN $3::timestamptz END
         FROM jsonb_to_recordset($4::jsonb) AS p(name text, email text, category text,
              stakeholder text, territory text, public_listing boolean, checked_in boolean)
         JOIN ticket_categories c ON c.edition_id = $1 AND c.key = p.category`,
      [
        edition.id,
        plan.opensAt,
        edition.startsAt,
        JSON.stringify(
          people.map((p) => ({
            name: p.name,
            email: p.email,
            category: p.category,
            stakeholder: p.stakeholder,
            territory: p.territory,
            public_listing: p.publicListing,
            checked_in: p.checkedIn,
          })),
        ),
      ],
    );
  }
  await seedFullWorkshop(em, upcoming);
}

/**
 * The upcoming edition's workshops open for sign-up: its working programme is published as a
 * provisional version (when the programme demo did not publish one), and its smallest workshop
 * is full, the registrations after the last seat waiting in order.
 */
async function seedFullWorkshop(em: EntityManager, edition: Edition): Promise<void> {
  let version = await em.findOne(ScheduleVersion, {
    where: { editionId: edition.id },
    order: { number: 'DESC' },
  });
  if (!version) {
    const loader = new ProgrammeLoader(new InterestRegistry());
    const snapshot = buildSnapshot(await loader.rows(em, edition), []);
    await em.insert(ScheduleVersion, {
      editionId: edition.id,
      number: 1,
      name: 'Programme provisoire',
      snapshot,
      changelog: changelog(null, snapshot),
    });
    version = await em.findOneOrFail(ScheduleVersion, { where: { editionId: edition.id } });
  }
  const [workshop] = version.snapshot.sessions
    .filter((s) => s.kind === 'workshop')
    .sort((a, b) => a.capacity - b.capacity);
  if (!workshop) throw new Error('the demo programme has no published workshop');
  const people = await em.query<{ id: string }[]>(
    `SELECT id FROM registrations WHERE edition_id = $1 AND state = 'confirmed' ORDER BY seq
      LIMIT $2`,
    [edition.id, workshop.capacity + WORKSHOP_WAITING],
  );
  if (people.length <= workshop.capacity)
    throw new Error(`the demo needs more than ${workshop.capacity} registrations`);
  await em.query(
    `INSERT INTO workshop_seats (session_id, edition_id, capacity, seats_left) VALUES ($1, $2, $3, 0)`,
    [workshop.id, edition.id, workshop.capacity],
  );
  for (const [i, person] of people.entries())
    await em.query(
      `INSERT INTO workshop_signups (edition_id, registration_id, session_id, state, starts_at,
         ends_at, confirmed_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $4 = 'confirmed' THEN now() END)`,
      [
        edition.id,
        person.id,
        workshop.id,
        i < workshop.capacity ? 'confirmed' : 'waiting',
        workshop.start,
        workshop.end,
      ],
    );
}
