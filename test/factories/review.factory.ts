import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Proposals for the review back office, written straight in SQL (the contributors' path is
 * tested elsewhere): a call with two formats and two themes, then submitted proposals.
 */
export interface SeededCall {
  callId: string;
  formats: { atelier: string; tableRonde: string };
  themes: { sobriety: string; rural: string };
}

export async function createCallFor(
  ds: DataSource,
  editionId: string,
  options: { blindReview?: boolean; reviewsPerProposal?: number } = {},
): Promise<SeededCall> {
  const [call] = await ds.query<{ id: string }[]>(
    `INSERT INTO calls (edition_id, opens_at, closes_at, blind_review, reviews_per_proposal)
     VALUES ($1, now() - interval '10 days', now() + interval '20 days', $2, $3) RETURNING id`,
    [editionId, options.blindReview ?? false, options.reviewsPerProposal ?? 3],
  );
  const formats = await ds.query<{ id: string; key: string }[]>(
    `INSERT INTO call_formats (edition_id, key, name_fr, name_en, default_duration_minutes,
       min_speakers, max_speakers, position)
     VALUES ($1, 'atelier', 'Atelier', 'Workshop', 90, 1, 4, 0),
            ($1, 'table-ronde', 'Table ronde', 'Round table', 60, 1, 6, 1)
     RETURNING id, key`,
    [editionId],
  );
  const themes = await ds.query<{ id: string; name_fr: string }[]>(
    `INSERT INTO call_themes (edition_id, name_fr, name_en, position)
     VALUES ($1, 'Sobriété', 'Sobriety', 0), ($1, 'Ruralité', 'Rurality', 1)
     RETURNING id, name_fr`,
    [editionId],
  );
  return {
    callId: call.id,
    formats: {
      atelier: formats.find((f) => f.key === 'atelier')!.id,
      tableRonde: formats.find((f) => f.key === 'table-ronde')!.id,
    },
    themes: {
      sobriety: themes.find((t) => t.name_fr === 'Sobriété')!.id,
      rural: themes.find((t) => t.name_fr === 'Ruralité')!.id,
    },
  };
}

export interface SpeakerSeed {
  name?: string;
  email?: string;
  organisation?: string;
  stakeholderType?: string;
  territoryType?: string;
}

export interface ProposalSeed {
  formatId: string;
  themeId?: string | null;
  title?: string;
  abstract?: string;
  state?: string;
  submittedAt?: Date;
  answers?: Record<string, unknown>;
  speakers?: SpeakerSeed[];
}

export async function createProposalFor(
  ds: DataSource,
  editionId: string,
  seed: ProposalSeed,
): Promise<string> {
  const suffix = randomBytes(4).toString('hex');
  const [{ id }] = await ds.query<{ id: string }[]>(
    `INSERT INTO proposals (edition_id, format_id, theme_id, title, abstract, language, state,
       manage_token_hash, submitted_at, answers)
     VALUES ($1, $2, $3, $4, $5, 'fr', $6, $7, $8, $9) RETURNING id`,
    [
      editionId,
      seed.formatId,
      seed.themeId ?? null,
      seed.title ?? `Proposition ${suffix}`,
      seed.abstract ?? 'Un résumé.',
      seed.state ?? 'submitted',
      randomBytes(32).toString('hex'),
      seed.state === 'draft' ? null : (seed.submittedAt ?? new Date()),
      JSON.stringify(seed.answers ?? {}),
    ],
  );
  const speakers = seed.speakers ?? [{}];
  for (const [position, s] of speakers.entries()) {
    await ds.query(
      `INSERT INTO proposal_speakers (proposal_id, name, email, organisation, stakeholder_type,
         territory_type, is_submitter, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        s.name ?? `Intervenant ${suffix}-${position}`,
        s.email ?? `speaker-${suffix}-${position}@example.org`,
        s.organisation ?? '',
        s.stakeholderType ?? 'coworking_operator',
        s.territoryType ?? 'urban',
        position === 0,
        position,
      ],
    );
  }
  return id;
}

/**
 * Many submitted proposals at once (one statement each for proposals and speakers), alternating
 * formats, themes, stakeholder and territory types; titles `Proposition 0001`….
 */
export async function seedManyProposals(
  ds: { query: (sql: string, params?: unknown[]) => Promise<unknown> },
  editionId: string,
  call: SeededCall,
  count: number,
): Promise<void> {
  await ds.query(
    `INSERT INTO proposals (edition_id, format_id, theme_id, title, abstract, language, state,
       manage_token_hash, submitted_at)
     SELECT $1::uuid, CASE WHEN i % 2 = 0 THEN $2::uuid ELSE $3::uuid END,
            CASE WHEN i % 3 = 0 THEN $4::uuid ELSE $5::uuid END,
            'Proposition ' || lpad(i::text, 4, '0'), 'Résumé de la proposition ' || i, 'fr',
            'submitted', md5(random()::text || i || $1::text), now() - (i || ' minutes')::interval
       FROM generate_series(1, $6) AS i`,
    [
      editionId,
      call.formats.atelier,
      call.formats.tableRonde,
      call.themes.sobriety,
      call.themes.rural,
      count,
    ],
  );
  await ds.query(
    `INSERT INTO proposal_speakers (proposal_id, name, email, organisation, stakeholder_type,
       territory_type, is_submitter, position)
     SELECT p.id, 'Intervenant ' || p.title, md5(p.id::text) || '@example.org', 'Org ' || (n % 17),
            (ARRAY['coworking_operator','project_holder','coworker_independent','local_authority',
                   'academic_researcher','company','association_network','other'])[1 + n % 8],
            (ARRAY['urban','periurban','rural'])[1 + n % 3], true, 0
       FROM (SELECT id, title, row_number() OVER (ORDER BY title) AS n
               FROM proposals WHERE edition_id = $1) p`,
    [editionId],
  );
}
