import { EditionStatus } from '@assises/editions';
import type { DataSource } from 'typeorm';
import { createEdition, CreatedEdition } from './edition.factory';

const DAY = 86_400_000;

export interface OpenCall extends CreatedEdition {
  /** Format ids by key: atelier (1–4 speakers), table-ronde (3–6), temoignage (1–2). */
  formats: Map<string, string>;
}

/**
 * An announced edition (10–11 March 2027, Paris) whose call is open now (or as `opens`/`closes`
 * say, in ms from now), with three formats; `lille-2027` by default.
 */
export async function createOpenCall(
  ds: DataSource,
  opts: { opens?: number; closes?: number; slug?: string; reminderDays?: number } = {},
): Promise<OpenCall> {
  const created = await createEdition(ds, {
    slug: opts.slug ?? 'lille-2027',
    status: EditionStatus.Announced,
    startsAt: new Date('2027-03-10T08:00:00Z'),
    endsAt: new Date('2027-03-11T17:00:00Z'),
    members: { owner: {}, reviewer: {} },
  });
  const now = Date.now();
  await ds.query(
    `INSERT INTO calls (edition_id, opens_at, closes_at, introduction, draft_reminder_days)
     VALUES ($1, $2, $3, $4, $5)`,
    [
      created.edition.id,
      new Date(now + (opts.opens ?? -DAY)),
      new Date(now + (opts.closes ?? 30 * DAY)),
      'Racontez ce qui se passe dans vos territoires.',
      opts.reminderDays ?? 3,
    ],
  );
  const formats = new Map<string, string>();
  const keys = [
    ['atelier', 'Atelier', 'Workshop', 1, 4],
    ['table-ronde', 'Table ronde', 'Round table', 3, 6],
    ['temoignage', 'Témoignage', 'Testimony', 1, 2],
  ] as const;
  for (const [position, [key, fr, en, min, max]] of keys.entries()) {
    const [{ id }] = await ds.query<{ id: string }[]>(
      `INSERT INTO call_formats (edition_id, key, name_fr, name_en, default_duration_minutes,
         min_speakers, max_speakers, position)
       VALUES ($1, $2, $3, $4, 60, $5, $6, $7) RETURNING id`,
      [created.edition.id, key, fr, en, min, max, position],
    );
    formats.set(key, id);
  }
  return { ...created, formats };
}

/** Adds a custom question to an edition's call. */
export async function createQuestion(
  ds: DataSource,
  editionId: string,
  q: {
    key: string;
    kind: string;
    labelFr?: string;
    labelEn?: string;
    required?: boolean;
    options?: { key: string; fr: string; en: string }[];
    formatKeys?: string[];
    maxLength?: number;
    lengthUnit?: 'chars' | 'words';
    position?: number;
  },
): Promise<void> {
  await ds.query(
    `INSERT INTO call_questions (edition_id, key, kind, label_fr, label_en, required, options,
       format_keys, max_length, length_unit, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      editionId,
      q.key,
      q.kind,
      q.labelFr ?? q.key,
      q.labelEn ?? q.key,
      q.required ?? false,
      JSON.stringify(q.options ?? []),
      q.formatKeys ?? [],
      q.maxLength ?? null,
      q.lengthUnit ?? 'chars',
      q.position ?? 0,
    ],
  );
}

/** A speaker as the JSON API takes them. */
export const speakerInput = (n: number, over: Record<string, unknown> = {}) => ({
  email: `speaker${n}@example.org`,
  name: `Speaker ${n}`,
  organisation: 'La Gare numérique',
  stakeholderType: 'project_holder',
  territoryType: 'rural',
  ...over,
});

/** A complete proposal as the JSON API takes it. */
export const proposalInput = (formatId: string, over: Record<string, unknown> = {}) => ({
  abstract: 'Comment une gare désaffectée est devenue un tiers-lieu.',
  formatId,
  language: 'fr',
  speakers: [speakerInput(1), speakerInput(2)],
  title: 'Un tiers-lieu dans une ancienne gare',
  ...over,
});
