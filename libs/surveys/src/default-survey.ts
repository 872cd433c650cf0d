import { SurveyOption, SurveyQuestionKind as K } from './survey-question.entity';

export interface DefaultQuestion {
  key: string;
  kind: K;
  labelFr: string;
  labelEn: string;
  required?: boolean;
  options?: SurveyOption[];
  stakeholderTypes?: string[];
}

export interface DefaultSection {
  titleFr: string;
  titleEn: string;
  questions: DefaultQuestion[];
}

const yesMaybeNo: SurveyOption[] = [
  { key: 'yes', fr: 'Oui', en: 'Yes' },
  { key: 'maybe', fr: 'Peut-être', en: 'Maybe' },
  { key: 'no', fr: 'Non', en: 'No' },
];

/** The evaluation the organisers start from (2017's questions, tidied). */
export const DEFAULT_SURVEY: DefaultSection[] = [
  {
    titleFr: 'Votre journée',
    titleEn: 'Your day',
    questions: [
      {
        key: 'satisfaction',
        kind: K.Rating,
        required: true,
        labelFr: 'Dans l’ensemble, êtes-vous satisfait·e de ces Assises ?',
        labelEn: 'Overall, how satisfied are you with these Assises?',
      },
      {
        key: 'nps',
        kind: K.Nps,
        required: true,
        labelFr:
          'Recommanderiez-vous les Assises à un·e collègue ? (0 : pas du tout, 10 : certainement)',
        labelEn: 'Would you recommend the Assises to a colleague? (0: not at all, 10: definitely)',
      },
      {
        key: 'workshops',
        kind: K.WorkshopMatrix,
        labelFr: 'Comment évaluez-vous les ateliers auxquels vous avez participé ?',
        labelEn: 'How would you rate the workshops you took part in?',
      },
      {
        key: 'organisation',
        kind: K.Rating,
        labelFr: 'L’organisation (accueil, lieu, repas)',
        labelEn: 'The organisation (welcome, venue, meals)',
      },
      {
        key: 'heard_from',
        kind: K.SingleChoice,
        labelFr: 'Comment avez-vous connu les Assises ?',
        labelEn: 'How did you hear about the Assises?',
        options: [
          { key: 'network', fr: 'Par mon réseau', en: 'Through my network' },
          { key: 'social', fr: 'Réseaux sociaux', en: 'Social media' },
          { key: 'colleague', fr: 'Un·e collègue', en: 'A colleague' },
          { key: 'newsletter', fr: 'Une lettre d’information', en: 'A newsletter' },
          { key: 'other', fr: 'Autrement', en: 'Otherwise' },
        ],
      },
    ],
  },
  {
    titleFr: 'Et la suite ?',
    titleEn: 'What next?',
    questions: [
      {
        key: 'keep',
        kind: K.LongText,
        labelFr: 'Qu’est-ce qu’il faut garder ?',
        labelEn: 'What should we keep?',
      },
      {
        key: 'change',
        kind: K.LongText,
        labelFr: 'Qu’est-ce qu’il faut changer ?',
        labelEn: 'What should we change?',
      },
      {
        key: 'topics',
        kind: K.MultipleChoice,
        labelFr: 'Quels sujets pour la prochaine édition ?',
        labelEn: 'Which topics for the next edition?',
        options: [
          {
            key: 'funding',
            fr: 'Financement et modèles économiques',
            en: 'Funding and business models',
          },
          { key: 'public_policy', fr: 'Politiques publiques', en: 'Public policy' },
          { key: 'rural', fr: 'Tiers-lieux ruraux', en: 'Rural third places' },
          { key: 'community', fr: 'Animation de communauté', en: 'Community building' },
          { key: 'real_estate', fr: 'Immobilier', en: 'Real estate' },
          { key: 'research', fr: 'Recherche et évaluation', en: 'Research and evaluation' },
        ],
      },
      {
        key: 'operator_support',
        kind: K.LongText,
        stakeholderTypes: ['coworking_operator', 'project_holder'],
        labelFr: 'Quel soutien attendez-vous du réseau pour votre espace ou votre projet ?',
        labelEn: 'What support do you expect from the network for your space or project?',
      },
      {
        key: 'authority_plans',
        kind: K.SingleChoice,
        stakeholderTypes: ['local_authority'],
        labelFr:
          'Votre collectivité envisage-t-elle de soutenir un tiers-lieu dans les douze mois ?',
        labelEn: 'Does your authority plan to support a third place within twelve months?',
        options: yesMaybeNo,
      },
      {
        key: 'next_edition',
        kind: K.SingleChoice,
        labelFr: 'Viendrez-vous à la prochaine édition ?',
        labelEn: 'Will you come to the next edition?',
        options: yesMaybeNo,
      },
    ],
  },
];
