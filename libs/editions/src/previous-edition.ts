import { EntityManager } from 'typeorm';
import { Edition } from './edition.entity';

/**
 * The edition this one was started from ("new edition from the previous one"), which every
 * comparison with the previous edition uses (survey results, edition report, stakeholder mix of
 * the attendees); null when it was created from scratch or the other one is gone.
 */
export async function previousEdition(
  em: EntityManager,
  edition: Edition,
): Promise<Edition | null> {
  if (!edition.previousEditionId) return null;
  return em.findOneBy(Edition, { id: edition.previousEditionId });
}
