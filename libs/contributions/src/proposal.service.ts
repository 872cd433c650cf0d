import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, ConflictError, hashSecret, Locale, newSecret } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Edition, EditionService, toLocalInput } from '@assises/editions';
import { MailOutbox, StageMail } from '@assises/mail';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CallService, CallView } from './call.service';
import { CallFormat } from './call-format.entity';
import {
  CallClosedError,
  InvalidProposalError,
  ProposalNotFoundError,
} from './contributions.errors';
import { SubmitProposalDto, UpdateProposalDto } from './dto/proposal.dto';
import { ProposalSpeaker } from './proposal-speaker.entity';
import { proposalStateMachine } from './proposal-state.machine';
import { Proposal, ProposalState } from './proposal.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a co-speaker's confirmation page shows. */
export interface SpeakerInvitation {
  speaker: ProposalSpeaker;
  proposal: Proposal;
  edition: Edition;
}

/** A proposal as its manage link shows it. */
export interface ProposalView {
  proposal: Proposal;
  speakers: ProposalSpeaker[];
  format: CallFormat;
  /** Until when the proposal may be edited. */
  deadline: Date;
}

/**
 * Proposals sent without an account. The manage token, sent only by email and stored hashed, is
 * the one key to a proposal: a wrong token and an unknown id answer the same "not found".
 */
@Injectable()
export class ProposalService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly editions: EditionService,
    private readonly calls: CallService,
    private readonly outbox: MailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Submits a proposal to an open call: proposal, speakers, audit row and emails in one
   * transaction; the emails leave after commit. A repeated Idempotency-Key returns the proposal
   * the first request created.
   */
  async submit(
    slug: string,
    input: SubmitProposalDto,
    idempotencyKey?: string,
  ): Promise<{ id: string }> {
    const edition = await this.editions.getPublic(slug);
    const key = idempotencyKey?.trim() ? idempotencyKey.trim().slice(0, 200) : null;
    if (key) {
      const earlier = await this.byIdempotencyKey(edition.id, key);
      if (earlier) return earlier;
    }
    const view = await this.calls.viewOf(this.db.manager, edition);
    const format = this.formatOf(view, input.formatId);
    this.themeOf(view, input.themeId);
    const deadline = this.assertOpen(view, format);
    const fields: Record<string, string[]> = {};
    if (input.speakers.length < format.minSpeakers || input.speakers.length > format.maxSpeakers)
      fields.speakers = [
        `speakers must be between ${format.minSpeakers} and ${format.maxSpeakers} for this format`,
      ];
    const emails = input.speakers.map((s) => s.email.toLowerCase());
    if (new Set(emails).size !== emails.length)
      fields.speakers = [...(fields.speakers ?? []), 'speakers must have different emails'];
    if (Object.keys(fields).length > 0) throw new InvalidProposalError(fields);

    const token = newSecret();
    const locale: Locale = input.locale ?? (edition.defaultLocale === 'en' ? 'en' : 'fr');
    const now = this.clock.now();
    try {
      const { id, mailIds } = await this.db.run(async (em) => {
        const state = proposalStateMachine.apply(ProposalState.Draft, 'submit');
        const inserted = await em.insert(Proposal, {
          editionId: edition.id,
          formatId: format.id,
          themeId: input.themeId ?? null,
          title: input.title,
          abstract: input.abstract,
          description: input.description ?? '',
          language: input.language,
          expectedAudience: input.expectedAudience ?? null,
          needs: input.needs ?? '',
          availability: input.availability ?? [],
          state,
          manageTokenHash: hashSecret(token),
          submittedAt: now,
          submitterLocale: locale,
          idempotencyKey: key,
        });
        const id = (inserted.identifiers[0] as { id: string }).id;
        const [submitter, ...coSpeakers] = input.speakers;
        const confirmations = coSpeakers.map(() => newSecret());
        const speakerRows = await em.save(
          ProposalSpeaker,
          input.speakers.map((s, position) =>
            em.create(ProposalSpeaker, {
              proposalId: id,
              name: s.name,
              email: s.email.toLowerCase(),
              organisation: s.organisation ?? '',
              role: s.role ?? '',
              stakeholderType: s.stakeholderType,
              territoryType: s.territoryType,
              cityOrRegion: s.cityOrRegion ?? '',
              bio: s.bio ?? '',
              isSubmitter: position === 0,
              position,
              // The submitter confirmed by submitting; co-speakers confirm through their link.
              confirmationTokenHash:
                position === 0 ? null : hashSecret(confirmations[position - 1]),
              confirmedAt: position === 0 ? now : null,
            }),
          ),
        );
        await this.audit.record(em, {
          subjectType: 'proposal',
          subjectId: id,
          editionId: edition.id,
          action: 'submit',
          from: ProposalState.Draft,
          to: state,
          data: { format: format.key, speakers: input.speakers.length },
        });
        const common = { editionTitle: edition.title, proposalTitle: input.title };
        const mails: StageMail[] = [
          {
            to: submitter.email,
            name: submitter.name,
            template: 'proposal-received',
            locale,
            purpose: `proposal-received:${id}`,
            editionId: edition.id,
            data: {
              ...common,
              submitterName: submitter.name,
              deadline: toLocalInput(deadline, edition.timezone).replace('T', ' '),
              manageUrl: `${this.config.publicUrl}/proposals/${id}?token=${token}`,
            },
          },
          ...speakerRows.slice(1).map((speaker, i) => ({
            to: speaker.email,
            name: speaker.name,
            template: 'speaker-confirmation',
            locale,
            purpose: `speaker-confirmation:${speaker.id}`,
            editionId: edition.id,
            data: {
              ...common,
              speakerName: speaker.name,
              submitterName: submitter.name,
              confirmUrl: `${this.config.publicUrl}/proposals/${id}/speakers/${speaker.id}/confirm?token=${confirmations[i]}`,
            },
          })),
        ];
        return { id, mailIds: await this.outbox.stage(em, mails) };
      });
      await this.outbox.dispatch(mailIds);
      return { id };
    } catch (error) {
      // Two requests with the same key raced: the unique index let one through; answer with it.
      if (key && (error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        const earlier = await this.byIdempotencyKey(edition.id, key);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  /** The proposal its manage token opens. */
  async view(id: string, token: string | null): Promise<ProposalView> {
    const proposal = await this.byToken(this.db.manager, id, token);
    return this.viewOf(this.db.manager, proposal);
  }

  /** Changes a proposal until its deadline; speakers are not changed here. */
  async update(id: string, token: string | null, input: UpdateProposalDto): Promise<ProposalView> {
    const proposal = await this.byToken(this.db.manager, id, token);
    const edition = await this.db.manager.findOneOrFail(Edition, {
      where: { id: proposal.editionId },
    });
    const call = await this.calls.viewOf(this.db.manager, edition);
    const format = this.formatOf(call, proposal.formatId);
    this.assertOpen(call, format);
    if (input.themeId !== undefined) this.themeOf(call, input.themeId);
    if (![ProposalState.Draft, ProposalState.Submitted].includes(proposal.state))
      throw new ConflictError('proposal.not_editable', 'This proposal can no longer be edited');
    const changes = Object.fromEntries(
      Object.entries(input).filter(([, value]) => value !== undefined),
    ) as QueryDeepPartialEntity<Proposal>;
    return this.db.run(async (em) => {
      if (Object.keys(changes).length > 0) await em.update(Proposal, { id }, changes);
      await this.audit.record(em, {
        subjectType: 'proposal',
        subjectId: id,
        editionId: proposal.editionId,
        action: 'update',
        data: { fields: Object.keys(changes).sort() },
      });
      return this.viewOf(em, await em.findOneOrFail(Proposal, { where: { id } }));
    });
  }

  /** The contributor withdraws their proposal (audited); a decided proposal cannot be. */
  async withdraw(id: string, token: string | null): Promise<void> {
    await this.byToken(this.db.manager, id, token);
    await this.db.run(async (em) => {
      const [current] = await em.query<{ state: ProposalState }[]>(
        'SELECT state FROM proposals WHERE id = $1 FOR UPDATE',
        [id],
      );
      const next = proposalStateMachine.apply(current.state, 'withdraw');
      await em.update(Proposal, { id }, { state: next });
      const proposal = await em.findOneOrFail(Proposal, { where: { id } });
      await this.audit.record(em, {
        subjectType: 'proposal',
        subjectId: id,
        editionId: proposal.editionId,
        action: 'withdraw',
        from: current.state,
        to: next,
      });
    });
  }

  /** What a co-speaker's confirmation link shows: who proposed what, for which edition. */
  async speakerInvitation(
    proposalId: string,
    speakerId: string,
    token: string | null,
  ): Promise<SpeakerInvitation> {
    const speaker = await this.speakerByToken(proposalId, speakerId, token);
    const proposal = await this.db.manager.findOneOrFail(Proposal, { where: { id: proposalId } });
    const edition = await this.db.manager.findOneOrFail(Edition, {
      where: { id: proposal.editionId },
    });
    return { speaker, proposal, edition };
  }

  /** A co-speaker confirms their participation through their own link (once; again is harmless). */
  async confirmSpeaker(proposalId: string, speakerId: string, token: string | null): Promise<void> {
    const speaker = await this.speakerByToken(proposalId, speakerId, token);
    if (speaker.confirmedAt) return;
    await this.db.run(async (em) => {
      await em.update(ProposalSpeaker, { id: speaker.id }, { confirmedAt: this.clock.now() });
      const proposal = await em.findOneOrFail(Proposal, { where: { id: proposalId } });
      await this.audit.record(em, {
        subjectType: 'proposal',
        subjectId: proposalId,
        editionId: proposal.editionId,
        action: 'confirm_speaker',
        data: { speakerId: speaker.id },
      });
    });
  }

  private async speakerByToken(
    proposalId: string,
    speakerId: string,
    token: string | null,
  ): Promise<ProposalSpeaker> {
    if (!token || !UUID.test(proposalId) || !UUID.test(speakerId))
      throw new ProposalNotFoundError();
    const speaker = await this.db.manager.findOne(ProposalSpeaker, {
      where: { id: speakerId, proposalId, confirmationTokenHash: hashSecret(token) },
    });
    if (!speaker) throw new ProposalNotFoundError();
    return speaker;
  }

  private async byIdempotencyKey(editionId: string, key: string): Promise<{ id: string } | null> {
    const earlier = await this.db.manager.findOne(Proposal, {
      where: { editionId, idempotencyKey: key },
      select: { id: true },
    });
    return earlier ? { id: earlier.id } : null;
  }

  private async byToken(em: EntityManager, id: string, token: string | null): Promise<Proposal> {
    if (!token || !UUID.test(id)) throw new ProposalNotFoundError();
    const proposal = await em.findOne(Proposal, {
      where: { id, manageTokenHash: hashSecret(token) },
    });
    if (!proposal) throw new ProposalNotFoundError();
    return proposal;
  }

  private async viewOf(em: EntityManager, proposal: Proposal): Promise<ProposalView> {
    // One after the other: `em` may be a transaction's, which runs one query at a time.
    const speakers = await em.find(ProposalSpeaker, {
      where: { proposalId: proposal.id },
      order: { position: 'ASC' },
    });
    const format = await em.findOneOrFail(CallFormat, { where: { id: proposal.formatId } });
    const call = await em.query<{ closes_at: Date }[]>(
      'SELECT closes_at FROM calls WHERE edition_id = $1',
      [proposal.editionId],
    );
    const deadline = format.deadline ?? call[0]?.closes_at ?? new Date(0);
    return { proposal, speakers, format, deadline };
  }

  private formatOf(view: CallView, formatId: string): CallFormat {
    const format = view.formats.find((f) => f.id === formatId);
    if (!format)
      throw new InvalidProposalError({ formatId: ['formatId is not a format of this call'] });
    return format;
  }

  private themeOf(view: CallView, themeId: string | undefined | null): void {
    if (themeId && !view.themes.some((t) => t.id === themeId))
      throw new InvalidProposalError({ themeId: ['themeId is not a theme of this call'] });
  }

  /** The deadline that applies, or `call.closed` when now is outside the call. */
  private assertOpen(view: CallView, format: CallFormat): Date {
    const now = this.clock.now();
    const deadline = format.deadline ?? view.call.closesAt;
    if (now < view.call.opensAt)
      throw new CallClosedError('The call for contributions is not open yet');
    if (now > deadline) throw new CallClosedError('The call for contributions has closed');
    return deadline;
  }
}
