import { ReviewCriterion } from '../review-criterion.entity';

export type CriterionDefaults = Pick<
  ReviewCriterion,
  'descriptionEn' | 'descriptionFr' | 'key' | 'nameEn' | 'nameFr' | 'weight'
>;

/**
 * The criteria an edition starts with when it has none: fit with the themes counts double, as
 * the Assises are built around them.
 */
export const DEFAULT_CRITERIA: readonly CriterionDefaults[] = [
  {
    key: 'fit',
    nameFr: 'Adéquation aux thèmes',
    nameEn: 'Fit with the themes',
    descriptionFr: 'La proposition répond-elle aux thèmes de cette édition ?',
    descriptionEn: "Does the proposal answer this edition's themes?",
    weight: '2',
  },
  {
    key: 'originality',
    nameFr: 'Originalité',
    nameEn: 'Originality',
    descriptionFr: 'Apporte-t-elle un regard ou une expérience neufs ?',
    descriptionEn: 'Does it bring a new view or experience?',
    weight: '1',
  },
  {
    key: 'diversity',
    nameFr: 'Diversité des voix',
    nameEn: 'Diversity of voices',
    descriptionFr: 'Fait-elle entendre des acteurs, des territoires peu représentés ?',
    descriptionEn: 'Does it give a voice to under-represented people and territories?',
    weight: '1',
  },
  {
    key: 'feasibility',
    nameFr: 'Faisabilité',
    nameEn: 'Feasibility',
    descriptionFr: 'Peut-elle tenir dans le format et la durée proposés ?',
    descriptionEn: 'Can it hold in the proposed format and length?',
    weight: '1',
  },
];
