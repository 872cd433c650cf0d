import { toInstant, type Edition } from '@assises/editions';
import {
  buildSnapshot,
  changelog,
  FixedBlock,
  FixedBlockKind,
  InterestRegistry,
  ProgrammeLoader,
  ProgrammeSession,
  Room,
  ScheduleVersion,
  SessionKind,
  SessionSpeaker,
} from '@assises/programme';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';

interface DemoSession {
  title: string;
  kind: SessionKind;
  minutes: number;
  room?: string;
  /** Local `HH:mm` on the edition's `day` (0-based); absent: not placed yet. */
  at?: string;
  day?: number;
  demand?: number;
  speakers: [string, string][];
}

const speaker = (name: string, organisation: string): [string, string] => [name, organisation];

/** Rooms, fixed blocks and sessions of an edition, placed in its timezone. */
async function seedEdition(
  em: EntityManager,
  edition: Edition,
  rooms: [string, number, boolean][],
  blocks: [FixedBlockKind, string, string, string, number][],
  sessions: DemoSession[],
): Promise<void> {
  const zone = edition.timezone;
  const firstDay = DateTime.fromJSDate(edition.startsAt, { zone });
  const at = (time: string, day = 0) =>
    toInstant(`${firstDay.plus({ days: day }).toISODate()}T${time}`, zone)!;
  const roomIds = new Map<string, string>();
  for (const [position, [name, capacity, stepFree]] of rooms.entries()) {
    const room = await em.save(
      em.create(Room, { editionId: edition.id, name, capacity, stepFree, position }),
    );
    roomIds.set(name, room.id);
  }
  for (const [kind, title, from, to, day] of blocks)
    await em.insert(FixedBlock, {
      editionId: edition.id,
      kind,
      title,
      startsAt: at(from, day),
      endsAt: at(to, day),
    });
  for (const demo of sessions) {
    const placed = demo.room && demo.at;
    const session = await em.save(
      em.create(ProgrammeSession, {
        editionId: edition.id,
        title: demo.title,
        abstract: '',
        kind: demo.kind,
        language: 'fr',
        durationMinutes: demo.minutes,
        estimatedDemand: demo.demand ?? null,
        roomId: placed ? roomIds.get(demo.room!)! : null,
        startsAt: placed ? at(demo.at!, demo.day ?? 0) : null,
      }),
    );
    await em.insert(
      SessionSpeaker,
      demo.speakers.map(([name, organisation], position) => ({
        sessionId: session.id,
        name,
        organisation,
        email: `${name
          .toLowerCase()
          .normalize('NFKD')
          .replace(/[^a-z]+/g, '.')}@intervenants.assises.localhost`,
        position,
      })),
    );
  }
}

/**
 * The programme demo: Lyon 2017 has a published programme (plenaries, workshops, round tables
 * in four rooms); the upcoming edition has a working schedule with conflicts to resolve and
 * sessions left for the automatic scheduler.
 */
export async function seedProgrammeDemo(
  em: EntityManager,
  past: Edition,
  upcoming: Edition,
  publishedById: string,
): Promise<void> {
  const K = SessionKind;
  const B = FixedBlockKind;
  await seedEdition(
    em,
    past,
    [
      ['Grand amphithéâtre', 220, true],
      ['Salle Croix-Rousse', 60, true],
      ['Salle Fourvière', 40, false],
      ['Atelier Confluence', 25, true],
    ],
    [
      [B.Opening, 'Accueil et plénière d’ouverture', '09:00', '09:45', 0],
      [B.Break, 'Pause', '10:45', '11:00', 0],
      [B.Lunch, 'Déjeuner', '12:30', '14:00', 0],
      [B.Break, 'Pause', '15:30', '15:45', 0],
      [B.Closing, 'Plénière de clôture', '17:15', '18:00', 0],
    ],
    [
      {
        title: 'Le coworking, et après ? Regards croisés',
        kind: K.RoundTable,
        minutes: 60,
        room: 'Grand amphithéâtre',
        at: '09:45',
        speakers: [
          speaker('Claire Dumas', 'La Cordée'),
          speaker('Hugo Martin', 'Région Auvergne-Rhône-Alpes'),
          speaker('Inès Roux', 'Université Lyon 2'),
        ],
      },
      {
        title: 'Ouvrir un espace en zone rurale',
        kind: K.Workshop,
        minutes: 90,
        room: 'Salle Croix-Rousse',
        at: '11:00',
        speakers: [speaker('Paul Girard', 'Coworking du Pilat')],
      },
      {
        title: 'Animer une communauté de coworkers',
        kind: K.Workshop,
        minutes: 60,
        room: 'Salle Fourvière',
        at: '09:45',
        speakers: [speaker('Léa Bernard', 'Locaux Motiv')],
      },
      {
        title: 'Modèle économique : ce qui marche',
        kind: K.Talk,
        minutes: 45,
        room: 'Atelier Confluence',
        at: '09:45',
        speakers: [speaker('Marc Petit', 'Now Coworking')],
      },
      {
        title: 'Collectivités et tiers-lieux : travailler ensemble',
        kind: K.RoundTable,
        minutes: 90,
        room: 'Grand amphithéâtre',
        at: '11:00',
        speakers: [
          speaker('Sophie Laurent', 'Métropole de Lyon'),
          speaker('Claire Dumas', 'La Cordée'),
        ],
      },
      {
        title: 'Accueillir les indépendants et les salariés nomades',
        kind: K.Talk,
        minutes: 45,
        room: 'Salle Fourvière',
        at: '11:00',
        speakers: [speaker('Nadia Haddad', 'Coworking Grenoble')],
      },
      {
        title: 'Le réseau national : état des lieux',
        kind: K.Plenary,
        minutes: 90,
        room: 'Grand amphithéâtre',
        at: '14:00',
        speakers: [speaker('Équipe des Assises', 'Assises du coworking')],
      },
      {
        title: 'Atelier : mesurer son impact local',
        kind: K.Workshop,
        minutes: 90,
        room: 'Atelier Confluence',
        at: '14:00',
        speakers: [speaker('Inès Roux', 'Université Lyon 2')],
      },
      {
        title: 'Communication et réseaux sociaux',
        kind: K.Workshop,
        minutes: 90,
        room: 'Salle Croix-Rousse',
        at: '15:45',
        speakers: [speaker('Julien Moreau', 'Cowork’in Montpellier')],
      },
      {
        title: 'Témoignages : trois espaces, trois histoires',
        kind: K.Talk,
        minutes: 60,
        room: 'Grand amphithéâtre',
        at: '15:45',
        speakers: [
          speaker('Paul Girard', 'Coworking du Pilat'),
          speaker('Léa Bernard', 'Locaux Motiv'),
        ],
      },
    ],
  );
  const loader = new ProgrammeLoader(new InterestRegistry());
  const snapshot = buildSnapshot(await loader.rows(em, past), []);
  await em.insert(ScheduleVersion, {
    editionId: past.id,
    number: 1,
    name: 'Programme du 3 février 2017',
    snapshot,
    changelog: changelog(null, snapshot),
    publishedById,
  });

  await seedEdition(
    em,
    upcoming,
    [
      ['Amphi des Volcans', 250, true],
      ['Salle Puy-de-Dôme', 60, true],
      ['Salle Sancy', 40, true],
      ['Atelier Chaîne des Puys', 20, false],
    ],
    [
      [B.Lunch, 'Déjeuner', '12:30', '14:00', 0],
      [B.Lunch, 'Déjeuner', '12:30', '14:00', 1],
    ],
    [
      {
        title: 'Plénière : dix ans de coworking en France',
        kind: K.Plenary,
        minutes: 60,
        room: 'Amphi des Volcans',
        at: '09:30',
        demand: 220,
        speakers: [speaker('Équipe des Assises', 'Assises du coworking')],
      },
      // Two places at once for Claire Dumas: a conflict to resolve.
      {
        title: 'Table ronde : les réseaux régionaux',
        kind: K.RoundTable,
        minutes: 60,
        room: 'Salle Puy-de-Dôme',
        at: '11:00',
        demand: 50,
        speakers: [
          speaker('Claire Dumas', 'La Cordée'),
          speaker('Hugo Martin', 'Région Auvergne-Rhône-Alpes'),
        ],
      },
      {
        title: 'Atelier : financer un tiers-lieu',
        kind: K.Workshop,
        minutes: 90,
        room: 'Salle Sancy',
        at: '11:00',
        demand: 35,
        speakers: [speaker('Claire Dumas', 'La Cordée')],
      },
      // More people expected than the room holds: another conflict.
      {
        title: 'Le coworking dans les villes moyennes',
        kind: K.Talk,
        minutes: 45,
        room: 'Atelier Chaîne des Puys',
        at: '14:00',
        demand: 70,
        speakers: [speaker('Nadia Haddad', 'Coworking Grenoble')],
      },
      {
        title: 'Atelier : accueillir des publics éloignés du numérique',
        kind: K.Workshop,
        minutes: 90,
        demand: 25,
        speakers: [speaker('Léa Bernard', 'Locaux Motiv')],
      },
      {
        title: 'Témoignage : une gare devenue tiers-lieu',
        kind: K.Talk,
        minutes: 30,
        demand: 40,
        speakers: [speaker('Paul Girard', 'Coworking du Pilat')],
      },
      {
        title: 'Table ronde : coworking et emploi local',
        kind: K.RoundTable,
        minutes: 60,
        demand: 90,
        speakers: [
          speaker('Sophie Laurent', 'Clermont Auvergne Métropole'),
          speaker('Marc Petit', 'Now Coworking'),
        ],
      },
    ],
  );
}
