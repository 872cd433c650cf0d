import { Account } from '@assises/accounts';
import {
  Call,
  CallFormat,
  CallQuestion,
  CallTheme,
  DEFAULT_FORMATS,
  Proposal,
  ProposalSpeaker,
  ProposalState,
  QuestionKind,
  Review,
  ReviewCriterion,
  StakeholderType as S,
  TerritoryType as T,
} from '@assises/contributions';
import { hashSecret, newSecret } from '@assises/core';
import { AuditLog } from '@assises/database';
import { Edition } from '@assises/editions';
import { EntityManager } from 'typeorm';

const DAY = 24 * 60 * 60 * 1000;

interface DemoSpeaker {
  name: string;
  organisation: string;
  role: string;
  stakeholderType: S;
  territoryType: T;
  cityOrRegion: string;
}

interface DemoProposal {
  title: string;
  abstract: string;
  format: string;
  theme: number;
  audience: number;
  speakers: DemoSpeaker[];
  /** Scores (fit, originality, diversity, feasibility) by the demo reviewer and organiser. */
  reviews?: [number | null, number | null, number | null, number | null][];
}

const CRITERIA = [
  { key: 'fit', nameFr: 'Adéquation aux thèmes', nameEn: 'Fit with the themes', weight: '2' },
  { key: 'originality', nameFr: 'Originalité', nameEn: 'Originality', weight: '1' },
  { key: 'diversity', nameFr: 'Diversité des voix', nameEn: 'Diversity of voices', weight: '1' },
  { key: 'feasibility', nameFr: 'Faisabilité', nameEn: 'Feasibility', weight: '1' },
];

const UPCOMING_THEMES = [
  ['Coworking en territoires ruraux', 'Coworking in rural areas'],
  ['Modèles économiques', 'Business models'],
  ['Communautés et animation', 'Communities and hosting'],
  ['Coopération avec les collectivités', 'Working with local authorities'],
] as const;

const PAST_THEMES = [
  ['Émergence des espaces', 'How spaces emerge'],
  ['Réseaux régionaux', 'Regional networks'],
] as const;

const person = (
  name: string,
  organisation: string,
  role: string,
  stakeholderType: S,
  territoryType: T,
  cityOrRegion: string,
): DemoSpeaker => ({ name, organisation, role, stakeholderType, territoryType, cityOrRegion });

const UPCOMING_PROPOSALS: DemoProposal[] = [
  {
    title: 'Ouvrir un coworking dans un village de 800 habitants',
    abstract:
      'Trois ans après l’ouverture, ce qui a marché, ce qui a coûté cher et ce que nous referions.',
    format: 'temoignage',
    theme: 0,
    audience: 40,
    speakers: [
      person(
        'Mireille Fabre',
        'La Grange Connectée',
        'Fondatrice',
        S.ProjectHolder,
        T.Rural,
        'Cantal',
      ),
    ],
    reviews: [
      [5, 4, 4, 5],
      [4, 4, 5, 4],
    ],
  },
  {
    title: 'Financer un tiers-lieu sans dépendre des subventions',
    abstract:
      'Atelier pratique : construire un modèle économique hybride (location, services, formation).',
    format: 'atelier',
    theme: 1,
    audience: 30,
    speakers: [
      person('Karim Benali', 'Cowork & Co', 'Gérant', S.CoworkingOperator, T.Urban, 'Lyon'),
      person(
        'Élodie Marchand',
        'Coopérative Tiers-Lieux',
        'Consultante',
        S.AssociationNetwork,
        T.Urban,
        'Nantes',
      ),
    ],
    reviews: [
      [4, 3, 3, 5],
      [4, 2, null, 4],
    ],
  },
  {
    title: 'Les élus et le coworking : ce qu’une communauté de communes peut faire',
    abstract: 'Table ronde entre élus, agents de développement et gestionnaires d’espaces.',
    format: 'table-ronde',
    theme: 3,
    audience: 80,
    speakers: [
      person(
        'Jean-Paul Roux',
        'Communauté de communes du Livradois',
        'Vice-président',
        S.LocalAuthority,
        T.Rural,
        'Puy-de-Dôme',
      ),
      person(
        'Sophie Garnier',
        'Région Auvergne-Rhône-Alpes',
        'Chargée de mission',
        S.LocalAuthority,
        T.Urban,
        'Lyon',
      ),
      person(
        'Thomas Leroy',
        'Mairie d’Issoire',
        'Adjoint au développement',
        S.LocalAuthority,
        T.Periurban,
        'Issoire',
      ),
    ],
    reviews: [[4, 3, 1, 4]],
  },
  {
    title: 'Animer une communauté quand personne ne vient le mardi',
    abstract:
      'Rituels, petits-déjeuners, entraide : des outils concrets pour faire vivre un espace.',
    format: 'atelier',
    theme: 2,
    audience: 35,
    speakers: [
      person('Lucie Moreau', 'Le Bocal', 'Animatrice', S.CoworkingOperator, T.Periurban, 'Riom'),
    ],
    reviews: [[3, 4, 3, 5]],
  },
  {
    title: 'Qui sont les coworkers ? Résultats d’une enquête nationale',
    abstract: 'Une enquête auprès de 1 200 coworkers : profils, trajectoires et attentes.',
    format: 'conference',
    theme: 2,
    audience: 120,
    speakers: [
      person(
        'Anne Dubreuil',
        'Université Clermont Auvergne',
        'Maîtresse de conférences',
        S.AcademicResearcher,
        T.Urban,
        'Clermont-Ferrand',
      ),
    ],
  },
  {
    title: 'Travailler à distance depuis la montagne',
    abstract: 'Témoignage d’un développeur indépendant installé dans un coworking de montagne.',
    format: 'temoignage',
    theme: 0,
    audience: 30,
    speakers: [
      person(
        'Hugo Martin',
        '',
        'Développeur indépendant',
        S.CoworkerIndependent,
        T.Rural,
        'Le Mont-Dore',
      ),
    ],
  },
  {
    title: 'Entreprises et coworking : accueillir des salariés en télétravail',
    abstract: 'Comment une PME organise le télétravail de ses équipes dans des espaces partagés.',
    format: 'conference',
    theme: 1,
    audience: 60,
    speakers: [
      person(
        'Claire Fontaine',
        'Volcans Logiciels',
        'Directrice des ressources humaines',
        S.Company,
        T.Urban,
        'Clermont-Ferrand',
      ),
    ],
  },
  {
    title: 'Mutualiser entre espaces d’un même réseau régional',
    abstract: 'Achats groupés, outils partagés, formation des animateurs : retour d’un réseau.',
    format: 'table-ronde',
    theme: 1,
    audience: 50,
    speakers: [
      person(
        'Nadia Cherif',
        'Réseau des coworkings des Volcans',
        'Coordinatrice',
        S.AssociationNetwork,
        T.Urban,
        'Clermont-Ferrand',
      ),
      person(
        'Pierre Vidal',
        'L’Atelier Partagé',
        'Cogérant',
        S.CoworkingOperator,
        T.Rural,
        'Ambert',
      ),
      person(
        'Marion Petit',
        'Département du Puy-de-Dôme',
        'Chargée de mission numérique',
        S.LocalAuthority,
        T.Periurban,
        'Puy-de-Dôme',
      ),
    ],
  },
  {
    title: 'Un tiers-lieu dans une ancienne gare',
    abstract: 'De la friche ferroviaire au lieu partagé : le chantier, les usagers, les habitants.',
    format: 'temoignage',
    theme: 0,
    audience: 40,
    speakers: [
      person(
        'Bernard Lac',
        'Association La Gare',
        'Président',
        S.ProjectHolder,
        T.Periurban,
        'Thiers',
      ),
    ],
  },
  {
    title: 'Mesurer l’impact d’un espace de coworking sur son territoire',
    abstract: 'Atelier : quels indicateurs suivre, comment les collecter, comment les présenter.',
    format: 'atelier',
    theme: 3,
    audience: 25,
    speakers: [
      person(
        'Yasmine Haddad',
        'Cabinet Territoires & Usages',
        'Chercheuse associée',
        S.AcademicResearcher,
        T.Urban,
        'Grenoble',
      ),
      person(
        'Louis Perrin',
        'Espace Cowork’In',
        'Gérant',
        S.CoworkingOperator,
        T.Periurban,
        'Vichy',
      ),
    ],
  },
  {
    title: 'Accessibilité : accueillir tout le monde dans un petit espace',
    abstract: 'Handicap, horaires, coût : lever les obstacles qui éloignent certains publics.',
    format: 'atelier',
    theme: 2,
    audience: 25,
    speakers: [
      person('Chloé Bernard', 'Collectif Ouvert', 'Bénévole', S.Other, T.Urban, 'Saint-Étienne'),
    ],
  },
  {
    title: 'Coworking et emploi local : travailler avec Pôle emploi et les missions locales',
    abstract: 'Comment un espace devient un relais pour les demandeurs d’emploi du territoire.',
    format: 'conference',
    theme: 3,
    audience: 45,
    speakers: [
      person(
        'Fatou Diallo',
        'Espace Emploi Partagé',
        'Directrice',
        S.AssociationNetwork,
        T.Rural,
        'Haute-Loire',
      ),
    ],
  },
];

const PAST_PROPOSALS: DemoProposal[] = [
  {
    title: 'Pourquoi un réseau national des espaces de coworking ?',
    abstract: 'Ouverture : les raisons de se rassembler et les chantiers communs.',
    format: 'conference',
    theme: 1,
    audience: 200,
    speakers: [
      person(
        'Marc Olivier',
        'Coworking France',
        'Porte-parole',
        S.AssociationNetwork,
        T.Urban,
        'Paris',
      ),
    ],
  },
  {
    title: 'Ouvrir son espace : les trois premières années',
    abstract: 'Atelier de partage entre fondateurs et fondatrices d’espaces récents.',
    format: 'atelier',
    theme: 0,
    audience: 40,
    speakers: [
      person('Isabelle Noël', 'La Cordée', 'Cofondatrice', S.CoworkingOperator, T.Urban, 'Lyon'),
      person('Rémi Caron', 'Le Nid', 'Fondateur', S.CoworkingOperator, T.Rural, 'Ardèche'),
    ],
  },
  {
    title: 'Coworking et politiques publiques locales',
    abstract: 'Table ronde entre élus et gestionnaires d’espaces.',
    format: 'table-ronde',
    theme: 1,
    audience: 80,
    speakers: [
      person(
        'Henri Blanc',
        'Métropole de Lyon',
        'Chargé de mission',
        S.LocalAuthority,
        T.Urban,
        'Lyon',
      ),
      person(
        'Agathe Morel',
        'Cowork’Alpes',
        'Coordinatrice',
        S.AssociationNetwork,
        T.Periurban,
        'Savoie',
      ),
      person('Paul Girard', 'Le Hangar', 'Gérant', S.CoworkingOperator, T.Rural, 'Ain'),
    ],
  },
  {
    title: 'Être coworker en zone rurale',
    abstract: 'Témoignage d’une graphiste indépendante installée dans la Drôme.',
    format: 'temoignage',
    theme: 0,
    audience: 30,
    speakers: [
      person('Julie Renard', '', 'Graphiste indépendante', S.CoworkerIndependent, T.Rural, 'Drôme'),
    ],
  },
];

/** Open call for the upcoming edition: opened a month ago, closes in six weeks (before the event). */
function upcomingCallDates(edition: Edition, today: Date): { opensAt: Date; closesAt: Date } {
  const opensAt = new Date(today.getTime() - 30 * DAY);
  const closesAt = new Date(
    Math.min(today.getTime() + 45 * DAY, edition.startsAt.getTime() - 14 * DAY),
  );
  return { opensAt, closesAt };
}

/**
 * The call for contributions of both demo editions: formats, themes, a custom question and
 * review criteria; a dozen proposals in French for the upcoming edition (some reviewed) and the
 * 2017 edition's confirmed contributions.
 */
export async function seedDemoContributions(
  em: EntityManager,
  audit: AuditLog,
  input: { past: Edition; upcoming: Edition; reviewers: Account[]; today: Date },
): Promise<void> {
  const { past, upcoming, reviewers, today } = input;
  const upcomingCall = upcomingCallDates(upcoming, today);
  await seedCall(em, audit, upcoming, {
    ...upcomingCall,
    introduction:
      'Vous faites vivre un espace de coworking, un tiers-lieu, un réseau ou une politique ' +
      'locale ? Proposez un atelier, une table ronde, un témoignage ou une conférence : les ' +
      'Assises se construisent avec celles et ceux qui font, agissent et observent le coworking.',
    themes: UPCOMING_THEMES,
    proposals: UPCOMING_PROPOSALS,
    state: ProposalState.Submitted,
    reviewers,
    submittedAt: (i) => new Date(upcomingCall.opensAt.getTime() + (i + 1) * 2 * DAY),
  });
  await seedCall(em, audit, past, {
    opensAt: new Date(past.startsAt.getTime() - 120 * DAY),
    closesAt: new Date(past.startsAt.getTime() - 60 * DAY),
    introduction:
      'Appel à contributions de la première édition des Assises nationales du coworking.',
    themes: PAST_THEMES,
    proposals: PAST_PROPOSALS,
    state: ProposalState.Confirmed,
    reviewers: [],
    submittedAt: (i) => new Date(past.startsAt.getTime() - (100 - i) * DAY),
  });
}

async function seedCall(
  em: EntityManager,
  audit: AuditLog,
  edition: Edition,
  input: {
    opensAt: Date;
    closesAt: Date;
    introduction: string;
    themes: readonly (readonly [string, string])[];
    proposals: DemoProposal[];
    state: ProposalState;
    reviewers: Account[];
    submittedAt: (index: number) => Date;
  },
): Promise<void> {
  await em.insert(Call, {
    editionId: edition.id,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    introduction: input.introduction,
  });
  const formats = await em.save(
    CallFormat,
    DEFAULT_FORMATS.map((format, position) =>
      em.create(CallFormat, { ...format, editionId: edition.id, position }),
    ),
  );
  const themes = await em.save(
    CallTheme,
    input.themes.map(([nameFr, nameEn], position) =>
      em.create(CallTheme, { editionId: edition.id, nameFr, nameEn, position }),
    ),
  );
  await em.insert(CallQuestion, {
    editionId: edition.id,
    key: 'deja-anime',
    kind: QuestionKind.YesNo,
    labelFr: 'Avez-vous déjà animé ce type de session ?',
    labelEn: 'Have you run this kind of session before?',
    required: false,
    position: 0,
  });
  await em.insert(
    ReviewCriterion,
    CRITERIA.map((criterion, position) => ({ ...criterion, editionId: edition.id, position })),
  );
  const weights = CRITERIA.map((c) => Number(c.weight));

  for (const [index, demo] of input.proposals.entries()) {
    const format = formats.find((f) => f.key === demo.format)!;
    const submittedAt = input.submittedAt(index);
    const confirmed = input.state === ProposalState.Confirmed;
    const proposal = await em.save(
      em.create(Proposal, {
        editionId: edition.id,
        formatId: format.id,
        themeId: themes[demo.theme].id,
        title: demo.title,
        abstract: demo.abstract,
        language: 'fr',
        expectedAudience: demo.audience,
        state: input.state,
        manageTokenHash: hashSecret(newSecret()),
        submittedAt,
        answers: { 'deja-anime': index % 2 === 0 },
        decisionReleasedAt: confirmed ? new Date(submittedAt.getTime() + 30 * DAY) : null,
        confirmedAt: confirmed ? new Date(submittedAt.getTime() + 32 * DAY) : null,
      }),
    );
    await em.insert(
      ProposalSpeaker,
      demo.speakers.map((speaker, position) => ({
        ...speaker,
        proposalId: proposal.id,
        email: `${slugOf(speaker.name)}@exemple.localhost`,
        isSubmitter: position === 0,
        position,
        confirmedAt: submittedAt,
      })),
    );
    await audit.record(em, {
      subjectType: 'proposal',
      subjectId: proposal.id,
      editionId: edition.id,
      action: 'submit',
      from: ProposalState.Draft,
      to: ProposalState.Submitted,
      data: { source: 'seed-demo' },
    });
    if (confirmed) {
      for (const [action, from, to] of [
        ['accept', ProposalState.Submitted, ProposalState.Accepted],
        ['confirm', ProposalState.Accepted, ProposalState.Confirmed],
      ] as const) {
        await audit.record(em, {
          subjectType: 'proposal',
          subjectId: proposal.id,
          editionId: edition.id,
          action,
          from,
          to,
          data: { source: 'seed-demo' },
        });
      }
    }
    for (const [reviewerIndex, scores] of (demo.reviews ?? []).entries()) {
      const reviewer = input.reviewers[reviewerIndex];
      if (!reviewer) continue;
      await em.insert(Review, {
        editionId: edition.id,
        proposalId: proposal.id,
        reviewerId: reviewer.id,
        scores: Object.fromEntries(CRITERIA.map((c, i) => [c.key, scores[i]])),
        score: weightedMean(scores, weights)?.toFixed(3) ?? null,
        comment: reviewerIndex === 0 ? 'Proposition claire, à retenir.' : '',
      });
    }
  }
}

/** The weighted mean of the scores given (abstentions left out), or null if all abstained. */
function weightedMean(scores: (number | null)[], weights: number[]): number | null {
  let total = 0;
  let weight = 0;
  scores.forEach((score, i) => {
    if (score === null) return;
    total += score * weights[i];
    weight += weights[i];
  });
  return weight === 0 ? null : total / weight;
}

function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');
}
