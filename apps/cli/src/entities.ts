import { Account, ApiToken, PasswordReset, Session } from '@assises/accounts';
import {
  Call,
  CallFormat,
  CallQuestion,
  CallTheme,
  Proposal,
  ProposalSpeaker,
  Review,
  ReviewAssignment,
  ReviewCriterion,
} from '@assises/contributions';
import { AuditEvent } from '@assises/database';
import { Edition, Invitation, Membership } from '@assises/editions';
import { MailSuppression, OutboxMessage } from '@assises/mail';
import {
  FixedBlock,
  ProgrammeGrid,
  ProgrammeSession,
  Room,
  ScheduleVersion,
  SchedulingRun,
  SessionSpeaker,
} from '@assises/programme';
import {
  InvitationCode,
  Registration,
  RegistrationSettings,
  SessionInterest,
  TicketCategory,
  WorkshopSeats,
  WorkshopSignup,
} from '@assises/registration';
import {
  EditionReport,
  Survey,
  SurveyAnswer,
  SurveyDraft,
  SurveyInvitation,
  SurveyQuestion,
  SurveyResponse,
  SurveySection,
} from '@assises/surveys';

/**
 * Every entity the libs export, listed by hand: the CLI has no Nest module to auto-load them, and
 * migration:generate compares exactly these with the database. A lib that adds an entity adds it here.
 */
export const ENTITIES = [
  Account,
  ApiToken,
  AuditEvent,
  Call,
  CallFormat,
  CallQuestion,
  CallTheme,
  Edition,
  EditionReport,
  Invitation,
  InvitationCode,
  MailSuppression,
  Membership,
  OutboxMessage,
  PasswordReset,
  Proposal,
  ProposalSpeaker,
  Registration,
  RegistrationSettings,
  Review,
  ReviewAssignment,
  ReviewCriterion,
  Session,
  TicketCategory,
  Survey,
  SurveyAnswer,
  SurveyDraft,
  SurveyInvitation,
  SurveyQuestion,
  SurveyResponse,
  SurveySection,
  // programme
  FixedBlock,
  ProgrammeGrid,
  ProgrammeSession,
  Room,
  ScheduleVersion,
  SchedulingRun,
  SessionSpeaker,
  // workshops
  SessionInterest,
  WorkshopSeats,
  WorkshopSignup,
];
