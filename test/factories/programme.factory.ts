import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A call format of an edition (for proposals to import). */
export async function createFormat(
  ds: DataSource,
  editionId: string,
  overrides: { key?: string; defaultDurationMinutes?: number } = {},
): Promise<string> {
  const [{ id }] = await ds.query<{ id: string }[]>(
    `INSERT INTO call_formats (edition_id, key, name_fr, name_en, default_duration_minutes, max_speakers)
     VALUES ($1, $2, 'Atelier', 'Workshop', $3, 4) RETURNING id`,
    [
      editionId,
      overrides.key ?? `atelier-${randomBytes(3).toString('hex')}`,
      overrides.defaultDurationMinutes ?? 90,
    ],
  );
  return id;
}

export interface ProposalSpec {
  title?: string;
  state?: string;
  expectedAudience?: number | null;
  availability?: string[];
  speakers?: { name: string; email: string }[];
  locale?: 'fr' | 'en';
}

/** A proposal in the given state (confirmed by default) with its speakers. */
export async function createProposal(
  ds: DataSource,
  editionId: string,
  formatId: string,
  spec: ProposalSpec = {},
): Promise<string> {
  const [{ id }] = await ds.query<{ id: string }[]>(
    `INSERT INTO proposals (edition_id, format_id, title, abstract, language, expected_audience,
       availability, state, manage_token_hash, submitted_at, submitter_locale)
     VALUES ($1, $2, $3, 'Résumé', 'fr', $4, $5, $6, $7, now(), $8) RETURNING id`,
    [
      editionId,
      formatId,
      spec.title ?? 'Un tiers-lieu rural',
      spec.expectedAudience ?? null,
      JSON.stringify(spec.availability ?? []),
      spec.state ?? 'confirmed',
      randomBytes(32).toString('hex'),
      spec.locale ?? 'fr',
    ],
  );
  const speakers = spec.speakers ?? [
    { name: 'Camille Martin', email: `camille-${randomBytes(3).toString('hex')}@example.org` },
  ];
  for (const [position, speaker] of speakers.entries())
    await ds.query(
      `INSERT INTO proposal_speakers (proposal_id, name, email, stakeholder_type, territory_type,
         is_submitter, position)
       VALUES ($1, $2, $3, 'coworking_operator', 'rural', $4, $5)`,
      [id, speaker.name, speaker.email, position === 0, position],
    );
  return id;
}
