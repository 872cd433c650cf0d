import { Actor } from '@assises/accounts';
import { AuditLog, TransactionRunner } from '@assises/database';
import { EditionCloneStep, EditionPermission, EditionService } from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReviewCriterion } from '../review-criterion.entity';
import { DEFAULT_CRITERIA } from './default-criteria';
import { CreateCriterionDto, UpdateCriterionDto } from './dto/review.dto';
import {
  CriterionKeyTakenError,
  CriterionNotFoundError,
  LastCriterionError,
} from './review.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The weighted mean of a review's non-null scores over the edition's current criteria, in SQL:
 * `$scores` is the jsonb of scores, `$edition` the edition id. Null when every score abstained.
 */
export function scoreSql(scores: string, edition: string): string {
  return `(SELECT round(sum(c.weight * (${scores} ->> c.key)::numeric) / nullif(sum(c.weight), 0), 3)
             FROM review_criteria c
            WHERE c.edition_id = ${edition} AND jsonb_typeof(${scores} -> c.key) = 'number')`;
}

/** An edition's review criteria and their weights; reviewers read them, organisers change them. */
@Injectable()
export class CriteriaService implements EditionCloneStep {
  readonly name = 'contributions.review_criteria';

  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly editions: EditionService,
  ) {}

  async list(actor: Actor, slug: string): Promise<ReviewCriterion[]> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Review);
    return this.forEdition(this.db.manager, edition.id);
  }

  /** The criteria in order; an edition that has none gets the defaults first. */
  async forEdition(em: EntityManager, editionId: string): Promise<ReviewCriterion[]> {
    let criteria = await this.ordered(em, editionId);
    if (criteria.length === 0) {
      // Two first readers at once both insert: the unique (edition, key) keeps one of each.
      await em
        .createQueryBuilder()
        .insert()
        .into(ReviewCriterion)
        .values(DEFAULT_CRITERIA.map((c, position) => ({ ...c, editionId, position })))
        .orIgnore()
        .execute();
      criteria = await this.ordered(em, editionId);
    }
    return criteria;
  }

  async create(actor: Actor, slug: string, input: CreateCriterionDto): Promise<ReviewCriterion> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      const existing = await this.forEdition(em, edition.id);
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(ReviewCriterion)
        .values({
          editionId: edition.id,
          key: input.key,
          nameFr: input.nameFr,
          nameEn: input.nameEn,
          descriptionFr: input.descriptionFr ?? '',
          descriptionEn: input.descriptionEn ?? '',
          weight: String(input.weight),
          position: input.position ?? existing.length,
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id = (inserted.raw as { id: string }[])[0]?.id;
      if (!id) throw new CriterionKeyTakenError();
      await this.audit.record(em, {
        subjectType: 'review_criterion',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'create',
        data: { key: input.key, weight: input.weight },
      });
      await this.recomputeScores(em, edition.id);
      return em.findOneOrFail(ReviewCriterion, { where: { id } });
    });
  }

  /** Changes a criterion; a new weight recomputes every review's score in the same transaction. */
  async update(
    actor: Actor,
    slug: string,
    id: string,
    input: UpdateCriterionDto,
  ): Promise<ReviewCriterion> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    if (!UUID.test(id)) throw new CriterionNotFoundError();
    return this.db.run(async (em) => {
      const criterion = await em.findOne(ReviewCriterion, {
        where: { id, editionId: edition.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!criterion) throw new CriterionNotFoundError();
      const changes: Partial<ReviewCriterion> = {};
      if (input.nameFr !== undefined) changes.nameFr = input.nameFr;
      if (input.nameEn !== undefined) changes.nameEn = input.nameEn;
      if (input.descriptionFr !== undefined) changes.descriptionFr = input.descriptionFr;
      if (input.descriptionEn !== undefined) changes.descriptionEn = input.descriptionEn;
      if (input.position !== undefined) changes.position = input.position;
      const weightChanged =
        input.weight !== undefined && Number(criterion.weight) !== Number(input.weight);
      if (input.weight !== undefined) changes.weight = String(input.weight);
      if (Object.keys(changes).length > 0) await em.update(ReviewCriterion, { id }, changes);
      await this.audit.record(em, {
        subjectType: 'review_criterion',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'update',
        from: weightChanged ? String(Number(criterion.weight)) : null,
        to: weightChanged ? String(input.weight) : null,
        data: { fields: Object.keys(changes).sort() },
      });
      if (weightChanged) await this.recomputeScores(em, edition.id);
      return em.findOneOrFail(ReviewCriterion, { where: { id } });
    });
  }

  /** Removes a criterion (its scores stay in the reviews but no longer count); one must remain. */
  async remove(actor: Actor, slug: string, id: string): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      // Serialise removals per edition, so two at once cannot remove the last two.
      await em.query('SELECT id FROM editions WHERE id = $1 FOR UPDATE', [edition.id]);
      const criteria = await this.ordered(em, edition.id);
      const criterion = criteria.find((c) => c.id === id);
      if (!criterion) throw new CriterionNotFoundError();
      if (criteria.length === 1) throw new LastCriterionError();
      await em.delete(ReviewCriterion, { id });
      await this.audit.record(em, {
        subjectType: 'review_criterion',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'delete',
        data: { key: criterion.key },
      });
      await this.recomputeScores(em, edition.id);
    });
  }

  /** Every review's score of the edition from its scores and the current weights, in one UPDATE. */
  async recomputeScores(em: EntityManager, editionId: string): Promise<void> {
    await em.query(
      `UPDATE reviews r SET score = ${scoreSql('r.scores', 'r.edition_id')} WHERE r.edition_id = $1`,
      [editionId],
    );
  }

  async cloneInto(em: EntityManager, fromEditionId: string, toEditionId: string): Promise<void> {
    const criteria = await this.ordered(em, fromEditionId);
    if (criteria.length === 0) return;
    await em.insert(
      ReviewCriterion,
      criteria.map((c) => ({
        editionId: toEditionId,
        key: c.key,
        nameFr: c.nameFr,
        nameEn: c.nameEn,
        descriptionFr: c.descriptionFr,
        descriptionEn: c.descriptionEn,
        weight: c.weight,
        position: c.position,
      })),
    );
  }

  private ordered(em: EntityManager, editionId: string): Promise<ReviewCriterion[]> {
    return em.find(ReviewCriterion, {
      where: { editionId },
      order: { position: 'ASC', key: 'ASC' },
    });
  }
}
