import { hashSecret, newSecret } from '@assises/core';
import { AuditLog } from '@assises/database';
import { Edition } from '@assises/editions';
import {
  DEFAULT_SURVEY,
  STAKEHOLDER_TYPES,
  Survey,
  SurveyInvitation,
  SurveyQuestion,
  SurveyResponse,
  SurveySection,
  TERRITORY_TYPES,
} from '@assises/surveys';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

const DAY = 86_400_000;

/** A repeatable pseudo-random sequence (mulberry32): the demo is the same on every machine. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Camille',
  'Dominique',
  'Claude',
  'Sacha',
  'Alix',
  'Louise',
  'Hugo',
  'Inès',
  'Malik',
  'Léa',
  'Yanis',
  'Chloé',
  'Nour',
  'Paul',
  'Rose',
  'Théo',
  'Jeanne',
  'Amine',
  'Lucie',
  'Jules',
];
const LAST = [
  'Martin',
  'Bernard',
  'Roux',
  'Fontaine',
  'Girard',
  'Mercier',
  'Blanc',
  'Garnier',
  'Chevalier',
  'Faure',
  'Lambert',
  'Bonnet',
  'Rousseau',
  'Morel',
  'Perrin',
];
const WORKSHOPS = [
  { id: 'lyon-2017-financer', titleFr: 'Financer son espace', titleEn: 'Funding a space' },
  { id: 'lyon-2017-rural', titleFr: 'Coworking en territoire rural', titleEn: 'Rural coworking' },
  { id: 'lyon-2017-communaute', titleFr: 'Animer une communauté', titleEn: 'Building a community' },
  {
    id: 'lyon-2017-collectivites',
    titleFr: 'Travailler avec les collectivités',
    titleEn: 'Working with local authorities',
  },
];
const KEEP = [
  'Les ateliers en petits groupes, on repart avec des idées concrètes.',
  'Rencontrer des gens qui font la même chose ailleurs.',
  'Le format sur une journée, dense mais humain.',
  'La diversité des profils : élu·es, gérant·es, chercheur·ses.',
  'Le déjeuner partagé, propice aux échanges.',
];
const CHANGE = [
  'Plus de temps entre les sessions pour discuter.',
  'Des ateliers répétés l’après-midi pour pouvoir en suivre plusieurs.',
  'Mieux signaler les salles.',
  'Un temps dédié aux territoires ruraux.',
  'Publier les supports après la journée.',
];

/**
 * The 2017 evaluation, closed: about 200 attendees invited, 65 anonymous responses (one in
 * three, as in 2017), so the results page and the edition report are full.
 */
export async function seedDemoSurvey(
  em: EntityManager,
  audit: AuditLog,
  past: Edition,
): Promise<void> {
  const rand = random(2017);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const opensAt = past.endsAt;
  const [survey] = (
    await em
      .createQueryBuilder()
      .insert()
      .into(Survey)
      .values({
        editionId: past.id,
        opensAt,
        closesAt: new Date(opensAt.getTime() + 28 * DAY),
        invitationsCreatedAt: new Date(opensAt.getTime() + 15 * 3_600_000),
        workshops: WORKSHOPS,
      })
      .returning(['id'])
      .execute()
  ).raw as { id: string }[];
  const questions: SurveyQuestion[] = [];
  for (const [position, section] of DEFAULT_SURVEY.entries()) {
    const s = await em.insert(SurveySection, {
      surveyId: survey.id,
      titleFr: section.titleFr,
      titleEn: section.titleEn,
      position,
    });
    const sectionId = (s.identifiers[0] as { id: string }).id;
    for (const [i, q] of section.questions.entries()) {
      questions.push(
        Object.assign(new SurveyQuestion(), {
          surveyId: survey.id,
          sectionId,
          key: q.key,
          kind: q.kind,
          labelFr: q.labelFr,
          labelEn: q.labelEn,
          options: q.options ?? [],
          required: q.required ?? false,
          stakeholderTypes: q.stakeholderTypes ?? [],
          position: i,
        }),
      );
    }
  }
  await em.insert(SurveyQuestion, questions);

  const invited = new Date(opensAt.getTime() + 15 * 3_600_000);
  const invitations = Array.from({ length: 198 }, (_, i) => {
    const first = FIRST[i % FIRST.length];
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
    return {
      id: randomUUID(),
      surveyId: survey.id,
      editionId: past.id,
      registrationId: `lyon-2017-${i + 1}`,
      name: `${first} ${last}`,
      email: `${first}.${last}.${i + 1}@example.org`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase(),
      locale: i % 9 === 0 ? 'en' : 'fr',
      stakeholderType: STAKEHOLDER_TYPES[Math.floor(rand() ** 1.6 * STAKEHOLDER_TYPES.length)],
      territoryType: TERRITORY_TYPES[Math.floor(rand() ** 1.3 * TERRITORY_TYPES.length)],
      workshopIds: WORKSHOPS.filter(() => rand() < 0.45).map((w) => w.id),
      checkedIn: true,
      tokenHash: hashSecret(newSecret()),
      answered: i % 3 === 0 && i < 195,
      remindersSent: i % 3 === 0 ? Math.floor(rand() * 2) : 2,
      createdAt: invited,
    };
  });
  await em.insert(SurveyInvitation, invitations);
  // Anonymous: responses carry the profile only, and are written in no particular order.
  const responses = invitations
    .filter((i) => i.answered)
    .map((i) => {
      const satisfaction = Math.min(5, 2 + Math.floor(rand() * 3.4) + (rand() < 0.3 ? 1 : 0));
      const answers: Record<string, unknown> = {
        satisfaction,
        nps: Math.min(10, Math.max(0, satisfaction * 2 - 1 + Math.floor(rand() * 3))),
        organisation: 3 + Math.floor(rand() * 3),
        heard_from: pick(['network', 'network', 'social', 'colleague', 'newsletter', 'other']),
        topics: [
          'funding',
          'public_policy',
          'rural',
          'community',
          'real_estate',
          'research',
        ].filter(() => rand() < 0.35),
        next_edition: pick(['yes', 'yes', 'maybe', 'no']),
      };
      if (i.workshopIds.length > 0)
        answers.workshops = Object.fromEntries(
          i.workshopIds.map((w) => [w, 3 + Math.floor(rand() * 3)]),
        );
      if (rand() < 0.6) answers.keep = pick(KEEP);
      if (rand() < 0.5) answers.change = pick(CHANGE);
      if (i.stakeholderType === 'local_authority') answers.authority_plans = pick(['yes', 'maybe']);
      return {
        surveyId: survey.id,
        answers,
        stakeholderType: i.stakeholderType,
        territoryType: i.territoryType,
        locale: i.locale,
      };
    })
    .sort(() => rand() - 0.5);
  await em.insert(SurveyResponse, responses as QueryDeepPartialEntity<SurveyResponse>[]);
  await audit.record(em, {
    subjectType: 'survey',
    subjectId: survey.id,
    editionId: past.id,
    action: 'create',
    data: { source: 'seed-demo', invitations: invitations.length, responses: responses.length },
  });
}
