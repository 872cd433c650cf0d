import { Edition } from '@assises/editions';
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

/**
 * Registration for the demo: the 2017 edition with its 200 attendees (their stakeholder mix,
 * most of them checked in) and the upcoming one open for registration with a few dozen people.
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
      people: 36,
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
}
