import { Actor } from '@assises/accounts';
import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, hashSecret, isLocale, Locale, newSecret } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Edition, EditionPermission, EditionService } from '@assises/editions';
import { MailOutbox, StageMail } from '@assises/mail';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CallFormat } from '../call-format.entity';
import { ProposalNotFoundError } from '../contributions.errors';
import { ProposalSpeaker } from '../proposal-speaker.entity';
import { proposalStateMachine } from '../proposal-state.machine';
import { Proposal, ProposalDecision, ProposalState } from '../proposal.entity';
import { DecisionNotAllowedError, InvalidDecisionsError } from './decisions.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = 86_400_000;

/** The email each released decision sends, to the submitter and every co-speaker. */
const DECISION_TEMPLATES: Record<ProposalDecision, string> = {
  accept: 'proposal-accepted',
  keep_as_backup: 'proposal-backup',
  reject: 'proposal-rejected',
};

/** The states in which a proposal awaits a decision (a backup may still be accepted or rejected). */
export const DECIDABLE_STATES: readonly ProposalState[] = [
  ProposalState.Submitted,
  ProposalState.Backup,
];

export interface DecisionInput {
  proposalId: string;
  /** null clears the pending decision. */
  decision: ProposalDecision | null;
  /** Absent keeps the note already written. */
  note?: string;
}

/** A proposal's decision as the organisers see it before release. */
export interface PendingDecision {
  id: string;
  state: ProposalState;
  pendingDecision: ProposalDecision | null;
  decisionNote: string;
}

/** One row of the decisions board. */
export interface DecisionRow extends PendingDecision {
  title: string;
  formatKey: string;
  formatNameFr: string;
  formatNameEn: string;
  themeNameFr: string | null;
  themeNameEn: string | null;
  /** The mean of the reviews' weighted means (null without a scored review). */
  meanScore: number | null;
  reviewCount: number;
  /** The decisions the state machine allows from this state. */
  choices: ProposalDecision[];
}

export type PendingCounts = Record<ProposalDecision, number> & { total: number };

export interface DecisionBoard {
  edition: Edition;
  rows: DecisionRow[];
  /** Proposals awaiting a decision, over every page. */
  total: number;
  offset: number;
  limit: number;
  pending: PendingCounts;
}

export interface ReleaseResult {
  released: number;
  accepted: number;
  rejected: number;
  backup: number;
  /** Pending decisions the state machine no longer allowed (e.g. withdrawn since); dropped. */
  dropped: number;
  emails: number;
}

/** What the confirmation link of an accepted proposal shows. */
export interface ConfirmationView {
  proposal: Proposal;
  edition: Edition;
  format: CallFormat;
  speakers: ProposalSpeaker[];
}

interface PendingRow {
  id: string;
  state: ProposalState;
  pending_decision: ProposalDecision;
  pending_decision_by: string | null;
  decision_note: string;
  title: string;
  submitter_locale: string;
  format_fr: string;
  format_en: string;
}

/**
 * Decisions on proposals: taken quietly (pending, invisible to contributors), released in one
 * batch that moves each proposal through the state machine and queues its emails, then
 * confirmed (or declined) by the accepted speakers through their emailed link.
 */
@Injectable()
export class DecisionService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly editions: EditionService,
    private readonly outbox: MailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sets or clears pending decisions, all or none: every line is checked against the state
   * machine under a row lock, unchanged lines are skipped, each change is audited (`decide`).
   */
  async decide(actor: Actor, slug: string, inputs: DecisionInput[]): Promise<PendingDecision[]> {
    return this.decideAll(actor, slug, inputs, (i) => `decisions.${i}`);
  }

  /** One proposal's pending decision (errors name the field `decision`, not a line). */
  async decideOne(actor: Actor, slug: string, input: DecisionInput): Promise<PendingDecision> {
    const [result] = await this.decideAll(actor, slug, [input], () => null);
    return result;
  }

  private async decideAll(
    actor: Actor,
    slug: string,
    inputs: DecisionInput[],
    line: (index: number) => string | null,
  ): Promise<PendingDecision[]> {
    const field = (i: number, name: string) => [line(i), name].filter(Boolean).join('.');
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const fields: Record<string, string[]> = {};
    const seen = new Set<string>();
    inputs.forEach((input, i) => {
      // A single decision names its proposal in the address: a bad id there is "not found".
      if (!UUID.test(input.proposalId) && line(i) === null) throw new ProposalNotFoundError();
      if (!UUID.test(input.proposalId)) fields[field(i, 'proposalId')] = ['not a proposal id'];
      else if (seen.has(input.proposalId))
        fields[field(i, 'proposalId')] = ['this proposal appears twice'];
      seen.add(input.proposalId);
    });
    if (Object.keys(fields).length > 0) throw new InvalidDecisionsError(fields);
    if (inputs.length === 0) return [];

    return this.db.run(async (em) => {
      // Shares the edition's lock with other deciders and waits for a release in progress, so
      // a decision and a release never lock the same proposals in different orders.
      await em.query('SELECT id FROM editions WHERE id = $1 FOR SHARE', [edition.id]);
      const rows = await em.query<
        {
          id: string;
          state: ProposalState;
          pending_decision: ProposalDecision | null;
          decision_note: string;
        }[]
      >(
        `SELECT id, state, pending_decision, decision_note FROM proposals
          WHERE edition_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
        [edition.id, [...seen]],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      if (byId.size !== seen.size) throw new ProposalNotFoundError();
      inputs.forEach((input, i) => {
        const row = byId.get(input.proposalId)!;
        if (input.decision !== null && !proposalStateMachine.can(row.state, input.decision))
          fields[field(i, 'decision')] = [
            `cannot ${input.decision} a proposal in state ${row.state}`,
          ];
      });
      if (Object.keys(fields).length > 0) throw new DecisionNotAllowedError(fields);

      const now = this.clock.now();
      const results: PendingDecision[] = [];
      for (const input of inputs) {
        const row = byId.get(input.proposalId)!;
        const note = input.note ?? row.decision_note;
        if (row.pending_decision === input.decision && note === row.decision_note) {
          results.push(this.pendingOf(row));
          continue;
        }
        await em.query(
          `UPDATE proposals SET pending_decision = $2, pending_decision_by = $3,
                  pending_decision_at = $4, decision_note = $5
            WHERE id = $1`,
          [
            row.id,
            input.decision,
            input.decision ? actor.accountId : null,
            input.decision ? now : null,
            note,
          ],
        );
        await this.audit.record(em, {
          subjectType: 'proposal',
          subjectId: row.id,
          editionId: edition.id,
          actorId: actor.accountId,
          action: 'decide',
          data: { decision: input.decision, previous: row.pending_decision, note: note !== '' },
        });
        results.push(
          this.pendingOf({ ...row, pending_decision: input.decision, decision_note: note }),
        );
      }
      return results;
    });
  }

  /** The proposals awaiting a decision, best mean score first, with the pending counts. */
  async board(
    actor: Actor,
    slug: string,
    page: { offset?: number; limit?: number } = {},
  ): Promise<DecisionBoard> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const limit = Math.min(Math.max(page.limit ?? 150, 1), 150);
    const offset = Math.max(page.offset ?? 0, 0);
    const em = this.db.manager;
    const rows = await em.query<
      {
        id: string;
        title: string;
        state: ProposalState;
        pending_decision: ProposalDecision | null;
        decision_note: string;
        format_key: string;
        format_fr: string;
        format_en: string;
        theme_fr: string | null;
        theme_en: string | null;
        mean: string | null;
        review_count: number;
      }[]
    >(
      `SELECT p.id, p.title, p.state, p.pending_decision, p.decision_note,
              f.key AS format_key, f.name_fr AS format_fr, f.name_en AS format_en,
              t.name_fr AS theme_fr, t.name_en AS theme_en,
              r.mean, COALESCE(r.n, 0)::int AS review_count
         FROM proposals p
         JOIN call_formats f ON f.id = p.format_id
         LEFT JOIN call_themes t ON t.id = p.theme_id
         LEFT JOIN (SELECT proposal_id, round(avg(score), 2) AS mean, count(*) AS n
                      FROM reviews WHERE edition_id = $1 GROUP BY proposal_id) r
           ON r.proposal_id = p.id
        WHERE p.edition_id = $1 AND p.state = ANY($2::text[])
        ORDER BY r.mean DESC NULLS LAST, p.submitted_at, p.id
        LIMIT $3::int OFFSET $4::int`,
      [edition.id, DECIDABLE_STATES, limit, offset],
    );
    const [{ total }] = await em.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM proposals WHERE edition_id = $1 AND state = ANY($2::text[])`,
      [edition.id, DECIDABLE_STATES],
    );
    return {
      edition,
      total,
      offset,
      limit,
      pending: await this.pendingCounts(em, edition.id),
      rows: rows.map((row) => ({
        ...this.pendingOf(row),
        title: row.title,
        formatKey: row.format_key,
        formatNameFr: row.format_fr,
        formatNameEn: row.format_en,
        themeNameFr: row.theme_fr,
        themeNameEn: row.theme_en,
        meanScore: row.mean === null ? null : Number(row.mean),
        reviewCount: row.review_count,
        choices: proposalStateMachine
          .available(row.state)
          .filter((t): t is ProposalDecision => t in DECISION_TEMPLATES),
      })),
    };
  }

  /** How many decisions a release would send now, by kind. */
  async pending(actor: Actor, slug: string): Promise<{ edition: Edition; pending: PendingCounts }> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return { edition, pending: await this.pendingCounts(this.db.manager, edition.id) };
  }

  /**
   * Releases every pending decision of the edition in one transaction: each proposal moves
   * through the state machine (audited: who decided, who released, from, to), its emails are
   * staged in the submitter's language, and accepted speakers get a confirmation link and a
   * scheduled reminder. The edition row is locked first, so two releases at once run one after
   * the other and the second finds nothing left to release.
   */
  async release(actor: Actor, slug: string): Promise<ReleaseResult> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const { result, mailIds } = await this.db.run(async (em) => {
      await em.query('SELECT id FROM editions WHERE id = $1 FOR UPDATE', [edition.id]);
      const rows = await em.query<PendingRow[]>(
        `SELECT p.id, p.state, p.pending_decision, p.pending_decision_by, p.decision_note,
                p.title, p.submitter_locale, f.name_fr AS format_fr, f.name_en AS format_en
           FROM proposals p JOIN call_formats f ON f.id = p.format_id
          WHERE p.edition_id = $1 AND p.pending_decision IS NOT NULL
          ORDER BY p.id
            FOR UPDATE OF p`,
        [edition.id],
      );
      const result: ReleaseResult = {
        released: 0,
        accepted: 0,
        rejected: 0,
        backup: 0,
        dropped: 0,
        emails: 0,
      };
      if (rows.length === 0) return { result, mailIds: [] as string[] };
      const speakers = await em.find(ProposalSpeaker, {
        where: { proposalId: In(rows.map((row) => row.id)) },
        order: { position: 'ASC' },
      });
      const [call] = await em.query<{ confirmation_reminder_days: number }[]>(
        'SELECT confirmation_reminder_days FROM calls WHERE edition_id = $1',
        [edition.id],
      );
      const reminderDays = call?.confirmation_reminder_days ?? 7;
      const now = this.clock.now();
      const mails: StageMail[] = [];

      for (const row of rows) {
        const decision = row.pending_decision;
        if (!proposalStateMachine.can(row.state, decision)) {
          await em.query(
            `UPDATE proposals SET pending_decision = NULL, pending_decision_by = NULL,
                    pending_decision_at = NULL WHERE id = $1`,
            [row.id],
          );
          await this.audit.record(em, {
            subjectType: 'proposal',
            subjectId: row.id,
            editionId: edition.id,
            actorId: actor.accountId,
            action: 'drop_decision',
            data: { decision, state: row.state },
          });
          result.dropped += 1;
          continue;
        }
        const next = proposalStateMachine.apply(row.state, decision);
        const token = decision === 'accept' ? newSecret() : null;
        await em.query(
          `UPDATE proposals SET state = $2, decision_released_at = $3, pending_decision = NULL,
                  pending_decision_by = NULL, pending_decision_at = NULL, decision_note = '',
                  decision_token_hash = COALESCE($4, decision_token_hash)
            WHERE id = $1`,
          [row.id, next, now, token ? hashSecret(token) : null],
        );
        await this.audit.record(em, {
          subjectType: 'proposal',
          subjectId: row.id,
          editionId: edition.id,
          actorId: actor.accountId,
          action: decision,
          from: row.state,
          to: next,
          data: { released: true, decidedBy: row.pending_decision_by, note: row.decision_note },
        });
        result.released += 1;
        if (decision === 'accept') result.accepted += 1;
        else if (decision === 'reject') result.rejected += 1;
        else result.backup += 1;

        const locale: Locale = isLocale(row.submitter_locale) ? row.submitter_locale : 'fr';
        const confirmUrl = token
          ? `${this.config.publicUrl}/proposals/${row.id}/confirm?token=${token}`
          : null;
        for (const speaker of speakers.filter((s) => s.proposalId === row.id)) {
          const data = {
            editionTitle: edition.title,
            proposalTitle: row.title,
            formatName: locale === 'en' ? row.format_en : row.format_fr,
            speakerName: speaker.name,
            note: row.decision_note,
            ...(confirmUrl ? { confirmUrl } : {}),
          };
          mails.push({
            to: speaker.email,
            name: speaker.name,
            template: DECISION_TEMPLATES[decision],
            locale,
            purpose: `decision:${row.id}:${decision}`,
            editionId: edition.id,
            data,
          });
          if (confirmUrl)
            mails.push({
              to: speaker.email,
              name: speaker.name,
              template: 'proposal-confirmation-reminder',
              locale,
              purpose: `confirmation-reminder:${row.id}`,
              editionId: edition.id,
              notBefore: new Date(now.getTime() + reminderDays * DAY),
              data: {
                editionTitle: edition.title,
                proposalTitle: row.title,
                speakerName: speaker.name,
                confirmUrl,
              },
            });
        }
      }
      const mailIds = await this.outbox.stage(em, mails);
      result.emails = mails.filter((m) => !m.notBefore).length;
      return { result, mailIds };
    });
    await this.outbox.dispatch(mailIds);
    return result;
  }

  /** The accepted proposal its confirmation link opens. */
  async confirmation(id: string, token: string | null): Promise<ConfirmationView> {
    const em = this.db.manager;
    const proposal = await this.byDecisionToken(em, id, token);
    const edition = await em.findOneOrFail(Edition, { where: { id: proposal.editionId } });
    const format = await em.findOneOrFail(CallFormat, { where: { id: proposal.formatId } });
    const speakers = await em.find(ProposalSpeaker, {
      where: { proposalId: proposal.id },
      order: { position: 'ASC' },
    });
    return { proposal, edition, format, speakers };
  }

  /**
   * The accepted speakers confirm their participation (accepted → confirmed, audited); the
   * pending reminders are cancelled. Again is harmless.
   */
  confirm(id: string, token: string | null): Promise<ProposalState> {
    return this.answer(id, token, 'confirm');
  }

  /** The accepted speakers decline (accepted → withdrawn, audited); reminders cancelled. */
  decline(id: string, token: string | null): Promise<ProposalState> {
    return this.answer(id, token, 'decline');
  }

  private async answer(
    id: string,
    token: string | null,
    transition: 'confirm' | 'decline',
  ): Promise<ProposalState> {
    await this.byDecisionToken(this.db.manager, id, token);
    const done = transition === 'confirm' ? ProposalState.Confirmed : ProposalState.Withdrawn;
    return this.db.run(async (em) => {
      const [current] = await em.query<{ state: ProposalState; edition_id: string }[]>(
        'SELECT state, edition_id FROM proposals WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (current.state === done) return done;
      const next = proposalStateMachine.apply(current.state, transition);
      await em.query(
        `UPDATE proposals SET state = $2, confirmed_at = CASE WHEN $3 THEN $4::timestamptz END
          WHERE id = $1`,
        [id, next, transition === 'confirm', this.clock.now()],
      );
      await this.audit.record(em, {
        subjectType: 'proposal',
        subjectId: id,
        editionId: current.edition_id,
        action: transition,
        from: current.state,
        to: next,
      });
      await this.outbox.cancel(em, `confirmation-reminder:${id}`);
      return next;
    });
  }

  private async byDecisionToken(
    em: EntityManager,
    id: string,
    token: string | null,
  ): Promise<Proposal> {
    if (!token || !UUID.test(id)) throw new ProposalNotFoundError();
    const proposal = await em.findOne(Proposal, {
      where: { id, decisionTokenHash: hashSecret(token) },
    });
    if (!proposal) throw new ProposalNotFoundError();
    return proposal;
  }

  private async pendingCounts(em: EntityManager, editionId: string): Promise<PendingCounts> {
    const rows = await em.query<{ pending_decision: ProposalDecision; n: number }[]>(
      `SELECT pending_decision, count(*)::int AS n FROM proposals
        WHERE edition_id = $1 AND pending_decision IS NOT NULL GROUP BY pending_decision`,
      [editionId],
    );
    const counts: PendingCounts = { accept: 0, keep_as_backup: 0, reject: 0, total: 0 };
    for (const row of rows) {
      counts[row.pending_decision] = row.n;
      counts.total += row.n;
    }
    return counts;
  }

  private pendingOf(row: {
    id: string;
    state: ProposalState;
    pending_decision: ProposalDecision | null;
    decision_note: string;
  }): PendingDecision {
    return {
      id: row.id,
      state: row.state,
      pendingDecision: row.pending_decision,
      decisionNote: row.decision_note,
    };
  }
}
