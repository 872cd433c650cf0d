import { Clock, hashSecret, safeEqual } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Edition } from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { AnswerContext, checkAnswers, questionsFor } from './answers';
import { SurveyBuilderService } from './survey-builder.service';
import { SurveyDraft } from './survey-draft.entity';
import { SurveyInvitation } from './survey-invitation.entity';
import { SurveyQuestion } from './survey-question.entity';
import { SurveyAnswers, SurveyResponse } from './survey-response.entity';
import { SurveySection } from './survey-section.entity';
import { Survey, SurveyWorkshop } from './survey.entity';
import {
  InvalidSurveyAnswersError,
  SurveyAlreadyAnsweredError,
  SurveyClosedError,
  SurveyInvitationNotFoundError,
} from './surveys.errors';

/**
 * Where an invitee stands: `not_open` and `closed` outside the dates; `answered` once submitted
 * (for good); `editable` once submitted when the survey allows changes until closing.
 */
export type ParticipationState = 'answered' | 'closed' | 'editable' | 'not_open' | 'open';

export interface ParticipationView {
  invitation: SurveyInvitation;
  survey: Survey;
  edition: Edition;
  /** The sections and questions this invitee is asked (empty sections left out). */
  sections: { section: SurveySection; questions: SurveyQuestion[] }[];
  /** The workshops of the matrix question: those the invitee took part in. */
  workshops: SurveyWorkshop[];
  /** What to show in the form: the draft before submission, the response when editable. */
  answers: SurveyAnswers;
  state: ParticipationState;
  /** A draft was saved and not yet submitted. */
  hasDraft: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Invitees answer through their private link: open, save for later, submit once. */
@Injectable()
export class SurveyParticipationService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly builder: SurveyBuilderService,
  ) {}

  /** The survey behind a link; any other token, or none, is "not found". */
  async open(invitationId: string, token: string | null): Promise<ParticipationView> {
    const invitation = await this.invitationFor(invitationId, token);
    const edition = await this.db.manager.findOneByOrFail(Edition, { id: invitation.editionId });
    const definition = await this.builder.definitionOf(this.db.manager, edition);
    const { survey } = definition;
    const context = contextOf(invitation, survey);
    const sections = definition.sections
      .map(({ section, questions }) => ({ section, questions: questionsFor(questions, context) }))
      .filter(({ questions }) => questions.length > 0);
    const now = this.clock.now();
    let state: ParticipationState;
    if (now < survey.opensAt) state = 'not_open';
    else if (now >= survey.closesAt) state = 'closed';
    else if (invitation.answered)
      state = survey.allowChanges && !survey.anonymous ? 'editable' : 'answered';
    else state = 'open';
    const draft = await this.db.manager.findOneBy(SurveyDraft, { invitationId: invitation.id });
    let answers: SurveyAnswers = draft?.answers ?? {};
    if (state === 'editable') {
      const response = await this.db.manager.findOneBy(SurveyResponse, {
        invitationId: invitation.id,
      });
      answers = response?.answers ?? {};
    }
    return {
      invitation,
      survey,
      edition,
      sections,
      workshops: survey.workshops.filter((w) => context.workshopIds.includes(w.id)),
      answers,
      state,
      hasDraft: Boolean(draft),
    };
  }

  /** Keeps partial answers until submission. Impossible values are refused even in a draft. */
  async saveDraft(
    invitationId: string,
    token: string | null,
    raw: SurveyAnswers,
  ): Promise<ParticipationView> {
    const view = await this.open(invitationId, token);
    this.assertAnswerable(view);
    if (view.state !== 'open') throw new SurveyAlreadyAnsweredError();
    const checked = checkAnswers(allQuestions(view), raw, contextOf(view.invitation, view.survey), {
      partial: true,
    });
    if (Object.keys(checked.errors).length > 0) throw new InvalidSurveyAnswersError(checked.errors);
    await this.db.run(async (em) => {
      // Shares the lock a submission takes: a draft never outlives its submission.
      const [locked] = await em.query<{ answered: boolean }[]>(
        'SELECT answered FROM survey_invitations WHERE id = $1 FOR SHARE',
        [view.invitation.id],
      );
      if (locked.answered) throw new SurveyAlreadyAnsweredError();
      await em.query(
        `INSERT INTO survey_drafts (invitation_id, answers, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (invitation_id) DO UPDATE SET answers = excluded.answers, updated_at = now()`,
        [view.invitation.id, JSON.stringify(checked.answers)],
      );
    });
    return this.open(invitationId, token);
  }

  /**
   * Submits the answers. The invitation flips to answered with one conditional update, so of
   * two submissions at once one stores a response and the other is told it was answered. In
   * anonymous mode the response gets no invitation id and no timestamp, the invitation no
   * answering time, and no audit row is written.
   */
  async submit(
    invitationId: string,
    token: string | null,
    raw: SurveyAnswers,
  ): Promise<ParticipationView> {
    const view = await this.open(invitationId, token);
    this.assertAnswerable(view);
    if (view.state === 'answered') throw new SurveyAlreadyAnsweredError();
    const { invitation, survey } = view;
    const checked = checkAnswers(allQuestions(view), raw, contextOf(invitation, survey));
    if (Object.keys(checked.errors).length > 0) throw new InvalidSurveyAnswersError(checked.errors);
    const answers = JSON.stringify(checked.answers);
    await this.db.run(async (em) => {
      if (survey.anonymous) {
        const [flipped] = await em.query<[{ id: string }[], number]>(
          'UPDATE survey_invitations SET answered = true WHERE id = $1 AND NOT answered RETURNING id',
          [invitation.id],
        );
        if (flipped.length === 0) throw new SurveyAlreadyAnsweredError();
        await em.query(
          `INSERT INTO survey_responses (survey_id, answers, stakeholder_type, territory_type, locale)
           VALUES ($1, $2, $3, $4, $5)`,
          [
            survey.id,
            answers,
            invitation.stakeholderType,
            invitation.territoryType,
            invitation.locale,
          ],
        );
      } else {
        const now = this.clock.now();
        const [flipped] = await em.query<[{ id: string }[], number]>(
          `UPDATE survey_invitations SET answered = true, answered_at = $2
            WHERE id = $1 AND NOT answered RETURNING id`,
          [invitation.id, now],
        );
        if (flipped.length > 0) {
          await em.query(
            `INSERT INTO survey_responses (survey_id, invitation_id, answers, stakeholder_type,
               territory_type, locale, submitted_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
            [
              survey.id,
              invitation.id,
              answers,
              invitation.stakeholderType,
              invitation.territoryType,
              invitation.locale,
              now,
            ],
          );
        } else if (survey.allowChanges) {
          await em.query(
            'UPDATE survey_responses SET answers = $2, updated_at = $3 WHERE invitation_id = $1',
            [invitation.id, answers, now],
          );
        } else {
          throw new SurveyAlreadyAnsweredError();
        }
        await this.audit.record(em, {
          subjectType: 'survey_invitation',
          subjectId: invitation.id,
          editionId: invitation.editionId,
          action: flipped.length > 0 ? 'answer' : 'change_answer',
        });
      }
      await em.delete(SurveyDraft, { invitationId: invitation.id });
    });
    return this.open(invitationId, token);
  }

  private assertAnswerable(view: ParticipationView): void {
    if (view.state === 'closed' || view.state === 'not_open') throw new SurveyClosedError();
  }

  private async invitationFor(
    invitationId: string,
    token: string | null,
  ): Promise<SurveyInvitation> {
    if (!UUID.test(invitationId) || !token) throw new SurveyInvitationNotFoundError();
    const invitation = await this.db.manager.findOneBy(SurveyInvitation, { id: invitationId });
    if (!invitation || !safeEqual(hashSecret(token), invitation.tokenHash))
      throw new SurveyInvitationNotFoundError();
    return invitation;
  }
}

/** The matrix asks about the workshops the invitee attended that the survey knows by name. */
function contextOf(invitation: SurveyInvitation, survey: Survey): AnswerContext {
  const known = new Set(survey.workshops.map((w) => w.id));
  return {
    stakeholderType: invitation.stakeholderType,
    workshopIds: invitation.workshopIds.filter((id) => known.has(id)),
  };
}

function allQuestions(view: ParticipationView): SurveyQuestion[] {
  return view.sections.flatMap((s) => s.questions);
}
