import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, ConflictError, hashSecret, Locale, newSecret } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Edition, EditionService, toLocalInput } from '@assises/editions';
import { MailOutbox, StageMail } from '@assises/mail';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CallService, CallView } from './call.service';
import { CallFormat } from './call-format.entity';
import {
  CallClosedError,
  IdempotencyMismatchError,
  InvalidProposalError,
  ProposalNotFoundError,
} from './contributions.errors';
import { ProposalSpeakerDto, SubmitProposalDto, UpdateProposalDto } from './dto/proposal.dto';
import { DraftReminders } from './draft-reminders';
import { ProposalSpeaker } from './proposal-speaker.entity';
import {
  checkAnswers,
  checkAvailability,
  checkProposal,
  eventDays,
  mergeProblems,
  Problems,
} from './proposal-rules';
import { proposalStateMachine } from './proposal-state.machine';
import { Proposal, ProposalState } from './proposal.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** States in which co-speakers may still join (a withdrawn or rejected proposal is over). */
const OPEN_TO_SPEAKERS: readonly ProposalState[] = [
  ProposalState.Draft,
  ProposalState.Submitted,
  ProposalState.Accepted,
  ProposalState.Backup,
  ProposalState.Confirmed,
];

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
  edition: Edition;
  call: CallView;
}

/** JSON with sorted keys: two bodies that differ only in key order are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** The fingerprint of a submission: a hash of its normalised body. */
export function submissionFingerprint(input: SubmitProposalDto): string {
  return createHash('sha256').update(canonical(input)).digest('hex');
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
    private readonly reminders: DraftReminders,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Submits a proposal to an open call (or saves it as a draft): proposal, speakers, audit row
   * and emails in one transaction; the emails leave after commit. A repeated Idempotency-Key
   * returns the proposal the first request created, and is refused with another body.
   */
  async submit(
    slug: string,
    input: SubmitProposalDto,
    idempotencyKey?: string,
  ): Promise<{ id: string }> {
    const edition = await this.editions.getPublic(slug);
    const key = idempotencyKey?.trim() ? idempotencyKey.trim().slice(0, 200) : null;
    const fingerprint = key ? submissionFingerprint(input) : null;
    if (key) {
      const earlier = await this.byIdempotencyKey(edition.id, key, fingerprint);
      if (earlier) return earlier;
    }
    const view = await this.calls.viewOf(this.db.manager, edition);
    const format = this.formatOf(view, input.formatId);
    this.themeOf(view, input.themeId);
    const deadline = this.assertOpen(view, format);
    const draft = input.draft === true;
    const checked = checkAnswers(view.questions, format, input.answers, draft);
    const problems = mergeProblems(
      checkProposal(input, format, draft),
      checked.problems,
      checkAvailability(input.availability, this.days(edition)),
    );
    if (Object.keys(problems).length > 0) throw InvalidProposalError.of(problems);

    const token = newSecret();
    const locale: Locale = input.locale ?? (edition.defaultLocale === 'en' ? 'en' : 'fr');
    const now = this.clock.now();
    try {
      const { id, mailIds } = await this.db.run(async (em) => {
        const state = draft
          ? ProposalState.Draft
          : proposalStateMachine.apply(ProposalState.Draft, 'submit');
        const inserted = await em.insert(Proposal, {
          editionId: edition.id,
          formatId: format.id,
          themeId: input.themeId ?? null,
          title: input.title ?? '',
          abstract: input.abstract ?? '',
          description: input.description ?? '',
          language: input.language ?? (locale === 'en' ? 'en' : 'fr'),
          expectedAudience: input.expectedAudience ?? null,
          needs: input.needs ?? '',
          availability: input.availability ?? [],
          answers: checked.answers as QueryDeepPartialEntity<Proposal['answers']>,
          state,
          manageTokenHash: hashSecret(token),
          submittedAt: draft ? null : now,
          submitterLocale: locale,
          idempotencyKey: key,
          idempotencyFingerprint: fingerprint,
        });
        const id = (inserted.identifiers[0] as { id: string }).id;
        await this.insertSpeakers(em, id, input.speakers, 0);
        await this.audit.record(em, {
          subjectType: 'proposal',
          subjectId: id,
          editionId: edition.id,
          action: draft ? 'save_draft' : 'submit',
          from: draft ? null : ProposalState.Draft,
          to: state,
          data: { format: format.key, speakers: input.speakers.length },
        });
        const proposal = await em.findOneOrFail(Proposal, { where: { id } });
        const mailIds = draft
          ? await this.stageDraftMails(em, proposal, edition, view, deadline, token)
          : await this.stageSubmissionMails(em, proposal, edition, deadline, token);
        return { id, mailIds };
      });
      await this.outbox.dispatch(mailIds);
      return { id };
    } catch (error) {
      // Two requests with the same key raced: the unique index let one through; answer with it.
      if (key && (error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        const earlier = await this.byIdempotencyKey(edition.id, key, fingerprint);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  /**
   * Submits a draft, checked as a full submission (every required field and answer); the
   * co-speakers get their confirmation emails now, and the draft's reminder is cancelled.
   */
  async submitDraft(id: string, token: string | null): Promise<ProposalView> {
    const found = await this.byToken(this.db.manager, id, token);
    const { edition, call, format } = await this.context(found);
    const deadline = this.assertOpen(call, format);
    const { mailIds, view } = await this.db.run(async (em) => {
      const proposal = await this.lock(em, id);
      const next = proposalStateMachine.apply(proposal.state, 'submit');
      const speakers = await this.speakersOf(em, id);
      const checked = checkAnswers(call.questions, format, proposal.answers, false);
      const problems = mergeProblems(
        checkProposal({ ...proposal, speakers }, format, false),
        checked.problems,
      );
      if (Object.keys(problems).length > 0) throw InvalidProposalError.of(problems);
      const now = this.clock.now();
      await em.update(
        Proposal,
        { id },
        {
          state: next,
          submittedAt: now,
          answers: checked.answers as QueryDeepPartialEntity<Proposal['answers']>,
        },
      );
      await this.reminders.cancel(em, id);
      await this.audit.record(em, {
        subjectType: 'proposal',
        subjectId: id,
        editionId: edition.id,
        action: 'submit',
        from: proposal.state,
        to: next,
      });
      const submitted = await em.findOneOrFail(Proposal, { where: { id } });
      const mailIds = await this.stageSubmissionMails(em, submitted, edition, deadline, token!);
      return { mailIds, view: await this.viewOf(em, submitted) };
    });
    await this.outbox.dispatch(mailIds);
    return view;
  }

  /** The proposal its manage token opens. */
  async view(id: string, token: string | null): Promise<ProposalView> {
    const proposal = await this.byToken(this.db.manager, id, token);
    return this.viewOf(this.db.manager, proposal);
  }

  /**
   * Changes a proposal until its deadline. Answers are checked against the (new) format; a
   * draft stays a draft (its speakers may be replaced), a submitted proposal must stay complete.
   */
  async update(id: string, token: string | null, input: UpdateProposalDto): Promise<ProposalView> {
    const current = await this.byToken(this.db.manager, id, token);
    const { edition, call } = await this.context(current);
    if (![ProposalState.Draft, ProposalState.Submitted].includes(current.state))
      throw new ConflictError('proposal.not_editable', 'This proposal can no longer be edited');
    const format = this.formatOf(call, input.formatId ?? current.formatId);
    this.assertOpen(call, this.formatOf(call, current.formatId));
    this.assertOpen(call, format);
    if (input.themeId !== undefined) this.themeOf(call, input.themeId);
    const draft = current.state === ProposalState.Draft;
    if (input.speakers && !draft)
      throw InvalidProposalError.of({ speakers: [{ rule: 'speakers_locked' }] });

    return this.db.run(async (em) => {
      const proposal = await this.lock(em, id);
      const speakers = input.speakers ?? (await this.speakersOf(em, id));
      const merged = { ...proposal, ...this.defined(input), speakers };
      const checked = checkAnswers(
        call.questions,
        format,
        input.answers ?? proposal.answers,
        draft,
      );
      const problems: Problems = mergeProblems(
        checkProposal(merged, format, draft),
        checked.problems,
        checkAvailability(input.availability, this.days(edition)),
      );
      if (Object.keys(problems).length > 0) throw InvalidProposalError.of(problems);
      const { speakers: _speakers, ...fields } = this.defined(input);
      void _speakers;
      const changes = { ...fields, answers: checked.answers } as QueryDeepPartialEntity<Proposal>;
      await em.update(Proposal, { id }, changes);
      if (input.speakers) {
        await em.delete(ProposalSpeaker, { proposalId: id });
        await this.insertSpeakers(em, id, input.speakers, 0);
      }
      if (draft) await this.reminders.refresh(em, edition.id, id);
      await this.audit.record(em, {
        subjectType: 'proposal',
        subjectId: id,
        editionId: proposal.editionId,
        action: 'update',
        data: { fields: Object.keys(this.defined(input)).sort() },
      });
      return this.viewOf(em, await em.findOneOrFail(Proposal, { where: { id } }));
    });
  }

  /**
   * Adds a co-speaker after submission, within the format's maximum (decided under a row lock).
   * They get the usual confirmation email (a draft's co-speakers get theirs at submission).
   */
  async addSpeaker(
    id: string,
    token: string | null,
    input: ProposalSpeakerDto,
  ): Promise<ProposalView> {
    const found = await this.byToken(this.db.manager, id, token);
    const { edition, format } = await this.context(found);
    const { mailIds, view } = await this.db.run(async (em) => {
      const proposal = await this.lock(em, id);
      if (!OPEN_TO_SPEAKERS.includes(proposal.state))
        throw new ConflictError('proposal.not_editable', 'This proposal can no longer be edited');
      const speakers = await this.speakersOf(em, id);
      const draft = proposal.state === ProposalState.Draft;
      const problems = checkProposal(
        { ...proposal, speakers: [...speakers, input] },
        format,
        draft,
      );
      if (speakers.length >= format.maxSpeakers)
        throw new ConflictError('proposal.speakers_full', 'This format takes no more speakers');
      if (problems.speakers?.some((p) => p.rule === 'duplicate_emails'))
        throw new ConflictError('proposal.speaker_exists', 'This person is already a speaker');
      const own = Object.fromEntries(
        Object.entries(problems)
          .filter(([field]) => field.startsWith(`speakers.${speakers.length}.`))
          .map(([field, list]) => [field.replace(/^speakers\.\d+\./, 'speaker.'), list]),
      );
      if (Object.keys(own).length > 0) throw InvalidProposalError.of(own);
      const [row, confirmation] = await this.insertSpeakers(
        em,
        id,
        [input],
        speakers.length,
        !draft,
      );
      await this.audit.record(em, {
        subjectType: 'proposal',
        subjectId: id,
        editionId: edition.id,
        action: 'add_speaker',
        data: { speakerId: row[0].id },
      });
      const submitter = speakers.find((s) => s.isSubmitter) ?? speakers[0];
      const mailIds = draft
        ? []
        : await this.outbox.stage(em, [
            this.confirmationMail(proposal, edition, submitter, row[0], confirmation[0]),
          ]);
      return { mailIds, view: await this.viewOf(em, proposal) };
    });
    await this.outbox.dispatch(mailIds);
    return view;
  }

  /** The contributor withdraws their proposal (audited); a decided proposal cannot be. */
  async withdraw(id: string, token: string | null): Promise<void> {
    await this.byToken(this.db.manager, id, token);
    await this.db.run(async (em) => {
      const current = await this.lock(em, id);
      const next = proposalStateMachine.apply(current.state, 'withdraw');
      await em.update(Proposal, { id }, { state: next });
      await this.reminders.cancel(em, id);
      await this.audit.record(em, {
        subjectType: 'proposal',
        subjectId: id,
        editionId: current.editionId,
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

  /** The edition's days, for the availability checkboxes. */
  days(edition: Edition): string[] {
    return eventDays(edition.startsAt, edition.endsAt, edition.timezone);
  }

  /**
   * Inserts speakers from `position` on; the first of a new proposal is the submitter. With
   * `invite`, each non-submitter gets a confirmation token (returned, in order).
   */
  private async insertSpeakers(
    em: EntityManager,
    proposalId: string,
    speakers: ProposalSpeakerDto[],
    position: number,
    invite = false,
  ): Promise<[ProposalSpeaker[], string[]]> {
    const tokens = speakers.map(() => newSecret());
    const rows = await em.save(
      ProposalSpeaker,
      speakers.map((s, i) =>
        em.create(ProposalSpeaker, {
          proposalId,
          name: s.name,
          email: s.email.toLowerCase(),
          organisation: s.organisation ?? '',
          role: s.role ?? '',
          stakeholderType: s.stakeholderType ?? null,
          territoryType: s.territoryType ?? null,
          cityOrRegion: s.cityOrRegion ?? '',
          bio: s.bio ?? '',
          isSubmitter: position + i === 0,
          position: position + i,
          confirmationTokenHash: invite ? hashSecret(tokens[i]) : null,
        }),
      ),
    );
    return [rows, tokens];
  }

  /** The proposal-received email and the co-speakers' confirmations (tokens made now). */
  private async stageSubmissionMails(
    em: EntityManager,
    proposal: Proposal,
    edition: Edition,
    deadline: Date,
    token: string,
  ): Promise<string[]> {
    const speakers = await this.speakersOf(em, proposal.id);
    const submitter = speakers.find((s) => s.isSubmitter) ?? speakers[0];
    // The submitter confirmed by submitting; co-speakers confirm through their own link.
    await em.update(ProposalSpeaker, { id: submitter.id }, { confirmedAt: this.clock.now() });
    const mails: StageMail[] = [
      {
        to: submitter.email,
        name: submitter.name,
        template: 'proposal-received',
        locale: proposal.submitterLocale as Locale,
        purpose: `proposal-received:${proposal.id}`,
        editionId: edition.id,
        data: {
          editionTitle: edition.title,
          proposalTitle: proposal.title,
          submitterName: submitter.name,
          deadline: toLocalInput(deadline, edition.timezone).replace('T', ' '),
          manageUrl: this.manageUrl(proposal.id, token),
        },
      },
    ];
    for (const speaker of speakers.filter((s) => s.id !== submitter.id && !s.confirmedAt)) {
      const confirmation = newSecret();
      await em.update(
        ProposalSpeaker,
        { id: speaker.id },
        { confirmationTokenHash: hashSecret(confirmation) },
      );
      mails.push(this.confirmationMail(proposal, edition, submitter, speaker, confirmation));
    }
    return this.outbox.stage(em, mails);
  }

  /** The draft-saved email (with the manage link) and the draft's one reminder. */
  private async stageDraftMails(
    em: EntityManager,
    proposal: Proposal,
    edition: Edition,
    view: CallView,
    deadline: Date,
    token: string,
  ): Promise<string[]> {
    const [submitter] = await this.speakersOf(em, proposal.id);
    const manageUrl = this.manageUrl(proposal.id, token);
    const locale = proposal.submitterLocale as Locale;
    await this.reminders.stage(em, {
      proposalId: proposal.id,
      editionId: edition.id,
      editionTitle: edition.title,
      timezone: edition.timezone,
      title: proposal.title,
      submitterEmail: submitter.email,
      submitterName: submitter.name,
      locale,
      deadline,
      days: view.call.draftReminderDays,
      manageUrl,
    });
    return this.outbox.stage(em, [
      {
        to: submitter.email,
        name: submitter.name,
        template: 'proposal-draft-saved',
        locale,
        purpose: `proposal-draft-saved:${proposal.id}`,
        editionId: edition.id,
        data: {
          editionTitle: edition.title,
          proposalTitle: proposal.title,
          submitterName: submitter.name,
          deadline: toLocalInput(deadline, edition.timezone).replace('T', ' '),
          manageUrl,
        },
      },
    ]);
  }

  private confirmationMail(
    proposal: Proposal,
    edition: Edition,
    submitter: ProposalSpeaker,
    speaker: ProposalSpeaker,
    confirmation: string,
  ): StageMail {
    return {
      to: speaker.email,
      name: speaker.name,
      template: 'speaker-confirmation',
      locale: proposal.submitterLocale as Locale,
      purpose: `speaker-confirmation:${speaker.id}`,
      editionId: edition.id,
      data: {
        editionTitle: edition.title,
        proposalTitle: proposal.title,
        speakerName: speaker.name,
        submitterName: submitter.name,
        confirmUrl: `${this.config.publicUrl}/proposals/${proposal.id}/speakers/${speaker.id}/confirm?token=${confirmation}`,
      },
    };
  }

  private manageUrl(id: string, token: string): string {
    return `${this.config.publicUrl}/proposals/${id}?token=${token}`;
  }

  private defined<T extends object>(input: T): Partial<T> {
    return Object.fromEntries(
      Object.entries(input).filter(([, value]) => value !== undefined),
    ) as Partial<T>;
  }

  private async lock(em: EntityManager, id: string): Promise<Proposal> {
    await em.query('SELECT id FROM proposals WHERE id = $1 FOR UPDATE', [id]);
    return em.findOneOrFail(Proposal, { where: { id } });
  }

  private speakersOf(em: EntityManager, proposalId: string): Promise<ProposalSpeaker[]> {
    return em.find(ProposalSpeaker, { where: { proposalId }, order: { position: 'ASC' } });
  }

  private async context(proposal: Proposal) {
    const edition = await this.db.manager.findOneOrFail(Edition, {
      where: { id: proposal.editionId },
    });
    const call = await this.calls.viewOf(this.db.manager, edition);
    return { edition, call, format: this.formatOf(call, proposal.formatId) };
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

  /** The proposal an earlier request with this key created; another body is refused. */
  private async byIdempotencyKey(
    editionId: string,
    key: string,
    fingerprint: string | null,
  ): Promise<{ id: string } | null> {
    const earlier = await this.db.manager.findOne(Proposal, {
      where: { editionId, idempotencyKey: key },
      select: { id: true, idempotencyFingerprint: true },
    });
    if (!earlier) return null;
    if (earlier.idempotencyFingerprint && earlier.idempotencyFingerprint !== fingerprint)
      throw new IdempotencyMismatchError();
    return { id: earlier.id };
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
    const speakers = await this.speakersOf(em, proposal.id);
    const edition = await em.findOneOrFail(Edition, { where: { id: proposal.editionId } });
    const call = await this.calls.viewOf(em, edition);
    const format = this.formatOf(call, proposal.formatId);
    const deadline = format.deadline ?? call.call.closesAt;
    return { proposal, speakers, format, deadline, edition, call };
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
