import { ApiTokenService } from '@assises/accounts';
import type { AppConfig } from '@assises/config';
import { Edition, EditionRole } from '@assises/editions';
import { MailOutbox, MailTemplates } from '@assises/mail';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createAccount, createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { routesOf } from '../../apps/api/src/http/route-index';
import { startApi, TestApi } from '../harness/app';
import { Browser, flashIn, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';
import { createCallFor, createProposalFor } from '../factories/review.factory';

/**
 * Who may reach what, over every route that needs a signed-in person. One row per route: add a
 * route to the app and the completeness test below fails until it has its row here.
 */

/** The people of the matrix. `outsider` organises another edition, not this one. */
const PEOPLE = [
  'anonymous',
  'outsider',
  'volunteer',
  'reviewer',
  'organiser',
  'owner',
  'admin',
] as const;
type Who = (typeof PEOPLE)[number];

/**
 * What a route needs: `account` any signed-in person; `create` organising some edition;
 * `view`, `review`, `edit`, `team`, `checkin` that permission in this edition; `platform` a platform admin.
 */
type Reach = 'account' | 'create' | 'view' | 'review' | 'edit' | 'team' | 'platform' | 'checkin';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  method: Method;
  /** `:slug` is the matrix's edition; other `:params` are made fresh for each request (PARAMS). */
  path: string;
  reach: Reach;
  /** The status of an allowed request (pages that succeed redirect with a success message). */
  ok: number;
  /** Status for people a platform route refuses. */
  refused?: 403 | 404;
  body?: (who: Who) => Record<string, unknown>;
  /** A GET that redirects (303) to another page without a message. */
  redirects?: true;
  /** Puts the edition in the state the request needs (e.g. back to draft before `announce`). */
  prepare?: (ctx: Context) => Promise<void>;
}

interface Context {
  ds: DataSource;
  edition: Edition;
}

let serial = 0;
const fresh = (prefix: string) => `${prefix}-${(serial += 1)}-${randomBytes(3).toString('hex')}`;

const toDraft = async ({ ds, edition }: Context) => {
  await ds.query(`UPDATE editions SET status = 'draft' WHERE id = $1`, [edition.id]);
};
/** Registration set up for the matrix's edition (settings and a participant category), once. */
const withRegistration = async ({ ds, edition }: Context) => {
  await ds.query(
    `INSERT INTO registration_settings (edition_id, opens_at, closes_at, seats_left)
     VALUES ($1, now() - interval '1 day', now() + interval '30 days', 1000) ON CONFLICT DO NOTHING`,
    [edition.id],
  );
  await ds.query(
    `INSERT INTO ticket_categories (edition_id, key, name_fr, name_en)
     VALUES ($1, 'participant', 'Participant', 'Participant') ON CONFLICT DO NOTHING`,
    [edition.id],
  );
};
/** A confirmed registration of the matrix's edition; returns its id, keeps its check-in code. */
let lastCheckInCode = '';
const newRegistration = async ({ ds, edition }: Context): Promise<string> => {
  await withRegistration({ ds, edition });
  lastCheckInCode = randomBytes(6).toString('hex').toUpperCase();
  const [{ id }] = await ds.query<{ id: string }[]>(
    `INSERT INTO registrations (edition_id, category_id, state, name, email, stakeholder_type,
       territory_type, privacy_notice_version, privacy_consented_at, manage_token_hash, check_in_code)
     SELECT $1, c.id, 'confirmed', 'Matrix person', $2, 'other', 'urban', '1', now(), $3, $4
       FROM ticket_categories c WHERE c.edition_id = $1 AND c.key = 'participant' RETURNING id`,
    [
      edition.id,
      `${fresh('person')}@example.org`,
      randomBytes(32).toString('hex'),
      lastCheckInCode,
    ],
  );
  return id;
};
const prepareCheckIn = async (ctx: Context) => {
  await newRegistration(ctx);
};
const registrationSettings = () => ({
  closesAt: '2027-12-15T23:59',
  opensAt: '2027-10-01T09:00',
});
const newEdition = () => ({
  capacity: 100,
  endsAt: '2028-02-04T18:00',
  hostCity: 'Rennes',
  slug: fresh('matrix'),
  startsAt: '2028-02-03T09:00',
  title: 'Matrix edition',
});
const clone = () => ({
  endsAt: '2028-02-04T18:00',
  hostCity: 'Rennes',
  slug: fresh('clone'),
  startsAt: '2028-02-03T09:00',
});
const invite = () => ({ email: `${fresh('invitee')}@example.org`, role: 'reviewer' });
/** A token role within the asker's own. */
const tokenFor = (who: Who) => ({
  label: 'Matrix token',
  role: who === 'volunteer' ? 'volunteer' : 'reviewer',
});

/** The matrix edition's call, created once (call settings need one). */
const ensureCall = async ({ ds, edition }: Context) => {
  await ds.query(
    `INSERT INTO calls (edition_id, opens_at, closes_at) VALUES ($1, now() - interval '1 day', now() + interval '30 days')
     ON CONFLICT (edition_id) DO NOTHING`,
    [edition.id],
  );
};
const newFormat = () => ({
  defaultDurationMinutes: 60,
  key: fresh('fmt'),
  maxSpeakers: 3,
  nameEn: 'Format',
  nameFr: 'Format',
});
const newTheme = () => ({ nameEn: 'Theme', nameFr: 'Thème' });
const newQuestion = () => ({
  key: fresh('q'),
  kind: 'short_text',
  labelEn: 'Question',
  labelFr: 'Question',
});
const noQuestions = async (ctx: Context) => {
  await ensureCall(ctx);
  await ctx.ds.query(`DELETE FROM call_questions WHERE edition_id = $1`, [ctx.edition.id]);
};
/** The matrix edition's reviewer, whom organisers assign (set once the accounts exist). */
let matrixReviewerId = '';
const DEFAULT_CRITERIA = ['fit', 'originality', 'diversity', 'feasibility'];
/** Back to the default criteria, so a review's scores name every criterion. */
const defaultCriteriaOnly = async ({ ds, edition }: Context) => {
  await ds.query(`DELETE FROM review_criteria WHERE edition_id = $1 AND NOT (key = ANY($2))`, [
    edition.id,
    DEFAULT_CRITERIA,
  ]);
};
const criterion = () => ({
  key: fresh('k').replace(/-/g, '_').toLowerCase(),
  nameEn: 'Impact',
  nameFr: 'Impact',
  weight: 1,
});
/** A submitted proposal of the edition (with a format made once), for decisions. */
const decidableProposal = async ({ ds, edition }: Context): Promise<string> => {
  await ds.query(
    `INSERT INTO call_formats (edition_id, key, name_fr, name_en, default_duration_minutes, max_speakers)
     SELECT $1, 'atelier', 'Atelier', 'Workshop', 90, 4
      WHERE NOT EXISTS (SELECT 1 FROM call_formats WHERE edition_id = $1)`,
    [edition.id],
  );
  const [{ id }] = await ds.query<{ id: string }[]>(
    `INSERT INTO proposals (edition_id, format_id, title, abstract, language, state, manage_token_hash,
       submitted_at)
     SELECT $1, id, 'Matrix proposal', 'Abstract', 'fr', 'submitted', $2, now()
       FROM call_formats WHERE edition_id = $1 LIMIT 1 RETURNING id`,
    [edition.id, randomBytes(32).toString('hex')],
  );
  return id;
};
/** The proposal the batch decision of the next request decides on. */
let batchProposal = '';
const prepareBatch = async (ctx: Context) => {
  batchProposal = await decidableProposal(ctx);
};
/** The matrix edition's survey (a bare one: settings, no questions), created when missing. */
let matrixSectionId = '';
const withSurvey = async ({ ds, edition }: Context) => {
  await ds.query(
    `INSERT INTO surveys (edition_id, opens_at, closes_at) VALUES ($1, now(), now() + interval '30 days')
     ON CONFLICT (edition_id) DO NOTHING`,
    [edition.id],
  );
  const [{ id }] = await ds.query<{ id: string }[]>(
    `INSERT INTO survey_sections (survey_id, title_fr, title_en)
     SELECT id, 'Section', 'Section' FROM surveys WHERE edition_id = $1 RETURNING id`,
    [edition.id],
  );
  matrixSectionId = id;
};
const withoutSurvey = async ({ ds, edition }: Context) => {
  await ds.query(`DELETE FROM surveys WHERE edition_id = $1`, [edition.id]);
};
const namedSurvey = async (ctx: Context) => {
  await withSurvey(ctx);
  await ctx.ds.query(`UPDATE surveys SET anonymous = false WHERE edition_id = $1`, [
    ctx.edition.id,
  ]);
};
const surveySection = () => ({ titleEn: 'Venue', titleFr: 'Lieu' });
const surveyQuestion = () => ({
  kind: 'rating',
  labelEn: 'Venue',
  labelFr: 'Lieu',
  sectionId: matrixSectionId,
});
const moveUp = () => ({ direction: 'up' });
/** A room of the matrix edition that placements go to. */
let matrixRoomId = '';
const ensureMatrixRoom = async ({ ds, edition }: Context) => {
  if (matrixRoomId) return;
  const [{ id }] = await ds.query<{ id: string }[]>(
    `INSERT INTO rooms (edition_id, name, capacity) VALUES ($1, 'Matrix room', 30) RETURNING id`,
    [edition.id],
  );
  matrixRoomId = id;
};

const ROUTES: Route[] = [
  // Call settings (issue 3, contributor side)
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/call/settings',
    reach: 'edit',
    ok: 200,
    prepare: ensureCall,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/call/formats',
    reach: 'edit',
    ok: 201,
    body: newFormat,
    prepare: ensureCall,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/call/formats/:format',
    reach: 'edit',
    ok: 200,
    body: () => ({ defaultDurationMinutes: 45 }),
  },
  { method: 'DELETE', path: '/api/v1/editions/:slug/call/formats/:format', reach: 'edit', ok: 204 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/call/themes',
    reach: 'edit',
    ok: 201,
    body: newTheme,
    prepare: ensureCall,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/call/themes/:theme',
    reach: 'edit',
    ok: 200,
    body: () => ({ nameEn: 'Renamed' }),
  },
  { method: 'DELETE', path: '/api/v1/editions/:slug/call/themes/:theme', reach: 'edit', ok: 204 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/call/questions',
    reach: 'edit',
    ok: 201,
    body: newQuestion,
    prepare: ensureCall,
  },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/call/questions/order',
    reach: 'edit',
    ok: 200,
    body: () => ({ ids: [] }),
    prepare: noQuestions,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/call/questions/:question',
    reach: 'edit',
    ok: 200,
    body: () => ({ labelEn: 'Renamed' }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/call/questions/:question',
    reach: 'edit',
    ok: 204,
  },
  { method: 'GET', path: '/admin/editions/:slug/call', reach: 'edit', ok: 200 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call',
    reach: 'edit',
    ok: 303,
    body: () => ({ closesAt: '2027-12-15T23:59', opensAt: '2027-10-01T09:00' }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call/formats',
    reach: 'edit',
    ok: 303,
    body: newFormat,
    prepare: ensureCall,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call/formats/:format',
    reach: 'edit',
    ok: 303,
    body: () => ({ defaultDurationMinutes: 45 }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call/formats/:format/delete',
    reach: 'edit',
    ok: 303,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call/themes',
    reach: 'edit',
    ok: 303,
    body: newTheme,
    prepare: ensureCall,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call/themes/:theme',
    reach: 'edit',
    ok: 303,
    body: () => ({ nameEn: 'Renamed' }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call/themes/:theme/delete',
    reach: 'edit',
    ok: 303,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call/questions',
    reach: 'edit',
    ok: 303,
    body: newQuestion,
    prepare: ensureCall,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call/questions/:question',
    reach: 'edit',
    ok: 303,
    body: () => ({ key: fresh('q'), kind: 'yes_no', labelEn: 'Renamed', labelFr: 'Renommée' }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call/questions/:question/delete',
    reach: 'edit',
    ok: 303,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/call/questions/:question/move',
    reach: 'edit',
    ok: 303,
    body: () => ({ direction: 'down' }),
  },
  // JSON API
  { method: 'GET', path: '/api/v1/auth/me', reach: 'account', ok: 200 },
  { method: 'GET', path: '/api/v1/me/api-tokens', reach: 'account', ok: 200 },
  { method: 'DELETE', path: '/api/v1/me/api-tokens/:ownToken', reach: 'account', ok: 204 },
  { method: 'POST', path: '/api/v1/editions', reach: 'create', ok: 201, body: newEdition },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug',
    reach: 'edit',
    ok: 200,
    body: () => ({ capacity: 500 }),
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/transitions',
    reach: 'edit',
    ok: 200,
    body: () => ({ transition: 'announce' }),
    prepare: toDraft,
  },
  { method: 'POST', path: '/api/v1/editions/:slug/clone', reach: 'edit', ok: 201, body: clone },
  { method: 'GET', path: '/api/v1/editions/:slug/history', reach: 'edit', ok: 200 },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/call',
    reach: 'edit',
    ok: 200,
    body: () => ({ closesAt: '2027-12-15T23:59', opensAt: '2027-10-01T09:00' }),
  },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/registration',
    reach: 'edit',
    ok: 200,
    body: registrationSettings,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/registrations',
    reach: 'edit',
    ok: 200,
    prepare: withRegistration,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/registrations/dashboard',
    reach: 'checkin',
    ok: 200,
    prepare: withRegistration,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/registrations/export.csv',
    reach: 'edit',
    ok: 200,
    prepare: withRegistration,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/registrations/export.xlsx',
    reach: 'edit',
    ok: 200,
    prepare: withRegistration,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/registrations/:registration',
    reach: 'edit',
    ok: 200,
    body: () => ({ dietaryNeeds: 'végétarien' }),
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/registrations/:registration/cancel',
    reach: 'edit',
    ok: 204,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/invitation-codes',
    reach: 'edit',
    ok: 200,
    prepare: withRegistration,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/invitation-codes',
    reach: 'edit',
    ok: 201,
    body: () => ({ category: 'participant' }),
    prepare: withRegistration,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/invitation-codes/:invitationCode/revoke',
    reach: 'edit',
    ok: 200,
  },
  { method: 'GET', path: '/api/v1/editions/:slug/workshops', reach: 'edit', ok: 200 },
  { method: 'GET', path: '/api/v1/editions/:slug/workshops/:workshop', reach: 'edit', ok: 200 },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/workshops/:workshop/export.csv',
    reach: 'edit',
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/workshops/:workshop/export.xlsx',
    reach: 'edit',
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/check-ins',
    reach: 'checkin',
    ok: 200,
    prepare: withRegistration,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/check-ins',
    reach: 'checkin',
    ok: 200,
    body: () => ({ code: lastCheckInCode }),
    prepare: prepareCheckIn,
  },
  { method: 'GET', path: '/api/v1/editions/:slug/team', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/invitations',
    reach: 'team',
    ok: 201,
    body: invite,
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/invitations/:invitation',
    reach: 'team',
    ok: 204,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/team/:member',
    reach: 'team',
    ok: 204,
    body: () => ({ role: 'reviewer' }),
  },
  { method: 'DELETE', path: '/api/v1/editions/:slug/team/:member', reach: 'team', ok: 204 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/api-tokens',
    reach: 'view',
    ok: 201,
    body: tokenFor,
  },
  // Review (issue 3)
  { method: 'GET', path: '/api/v1/editions/:slug/review-criteria', reach: 'review', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/review-criteria',
    reach: 'edit',
    ok: 201,
    body: criterion,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/review-criteria/:criterion',
    reach: 'edit',
    ok: 200,
    body: () => ({ weight: 2 }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/review-criteria/:criterion',
    reach: 'edit',
    ok: 204,
  },
  { method: 'GET', path: '/api/v1/editions/:slug/proposals', reach: 'review', ok: 200 },
  { method: 'GET', path: '/api/v1/editions/:slug/proposals/:proposal', reach: 'review', ok: 200 },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/proposals/:proposal/review',
    reach: 'review',
    ok: 201,
    body: () => ({ scores: { diversity: 3, feasibility: null, fit: 4, originality: 5 } }),
    prepare: defaultCriteriaOnly,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/proposals/:proposal/assignments',
    reach: 'edit',
    ok: 204,
    body: () => ({ reviewerId: matrixReviewerId }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/proposals/:proposal/assignments/:member',
    reach: 'edit',
    ok: 204,
  },
  { method: 'POST', path: '/api/v1/editions/:slug/assignments/auto', reach: 'edit', ok: 200 },
  { method: 'GET', path: '/api/v1/editions/:slug/reviewers', reach: 'edit', ok: 200 },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/reviewers/:member/organisation',
    reach: 'edit',
    ok: 204,
    body: () => ({ organisation: 'Matrix' }),
  },
  { method: 'GET', path: '/api/v1/editions/:slug/review/next', reach: 'review', ok: 200 },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/proposals/:decidable/decision',
    reach: 'edit',
    ok: 200,
    body: () => ({ decision: 'accept' }),
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/decisions',
    reach: 'edit',
    ok: 200,
    prepare: prepareBatch,
    body: () => ({ decisions: [{ proposalId: batchProposal, decision: 'reject' }] }),
  },
  { method: 'POST', path: '/api/v1/editions/:slug/decisions/release', reach: 'edit', ok: 200 },
  { method: 'GET', path: '/api/v1/editions/:slug/stakeholder-mix', reach: 'edit', ok: 200 },
  { method: 'GET', path: '/api/v1/editions/:slug/exports/proposals.csv', reach: 'edit', ok: 200 },
  { method: 'GET', path: '/api/v1/editions/:slug/exports/proposals.json', reach: 'edit', ok: 200 },
  { method: 'GET', path: '/api/v1/editions/:slug/exports/reviews.csv', reach: 'edit', ok: 200 },
  { method: 'GET', path: '/api/v1/editions/:slug/exports/reviews.json', reach: 'edit', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/survey',
    reach: 'edit',
    ok: 201,
    prepare: withoutSurvey,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/survey',
    reach: 'edit',
    ok: 200,
    prepare: withSurvey,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/survey',
    reach: 'edit',
    ok: 200,
    body: () => ({ maxReminders: 3 }),
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/survey/sections',
    reach: 'edit',
    ok: 201,
    body: surveySection,
    prepare: withSurvey,
  },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/survey/sections/:surveySection',
    reach: 'edit',
    ok: 200,
    body: surveySection,
    prepare: withSurvey,
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/survey/sections/:surveySection',
    reach: 'edit',
    ok: 204,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/survey/sections/:surveySection/move',
    reach: 'edit',
    ok: 201,
    body: moveUp,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/survey/questions',
    reach: 'edit',
    ok: 201,
    body: surveyQuestion,
    prepare: withSurvey,
  },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/survey/questions/:surveyQuestion',
    reach: 'edit',
    ok: 200,
    body: surveyQuestion,
    prepare: withSurvey,
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/survey/questions/:surveyQuestion',
    reach: 'edit',
    ok: 204,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/survey/questions/:surveyQuestion/move',
    reach: 'edit',
    ok: 201,
    body: moveUp,
    prepare: withSurvey,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/survey/results',
    reach: 'edit',
    ok: 200,
    prepare: withSurvey,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/survey/non-respondents',
    reach: 'edit',
    ok: 200,
    prepare: namedSurvey,
  },
  // Programme (issue 5)
  { method: 'GET', path: '/api/v1/editions/:slug/programme/rooms', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/rooms',
    reach: 'edit',
    ok: 201,
    body: () => ({ name: fresh('room'), capacity: 40 }),
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/rooms/copy-previous',
    reach: 'edit',
    ok: 200,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/programme/rooms/:room',
    reach: 'edit',
    ok: 200,
    body: () => ({ capacity: 10 }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/programme/rooms/:room',
    reach: 'edit',
    ok: 204,
  },
  { method: 'GET', path: '/api/v1/editions/:slug/programme/grid', reach: 'view', ok: 200 },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/programme/grid',
    reach: 'edit',
    ok: 200,
    body: () => ({ stepMinutes: 15 }),
  },
  { method: 'GET', path: '/api/v1/editions/:slug/programme/blocks', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/blocks',
    reach: 'edit',
    ok: 201,
    body: () => ({
      kind: 'break',
      title: 'Pause',
      startsAt: '2027-02-04T10:30',
      endsAt: '2027-02-04T11:00',
    }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/programme/blocks/:block',
    reach: 'edit',
    ok: 204,
  },
  { method: 'GET', path: '/api/v1/editions/:slug/programme/sessions', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/sessions',
    reach: 'edit',
    ok: 201,
    body: () => ({ title: 'Matrix session', kind: 'talk', durationMinutes: 45 }),
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/sessions/import',
    reach: 'edit',
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/programme/sessions/:session',
    reach: 'view',
    ok: 200,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/programme/sessions/:session',
    reach: 'edit',
    ok: 200,
    body: () => ({ title: 'Renamed', version: 1 }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/programme/sessions/:session',
    reach: 'edit',
    ok: 204,
  },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/programme/sessions/:session/placement',
    reach: 'edit',
    ok: 200,
    // Forced: the matrix edition's dates are whatever the factory chose.
    body: () => ({ roomId: matrixRoomId, startsAt: '2027-02-04T10:00', version: 1, force: true }),
    prepare: ensureMatrixRoom,
  },
  { method: 'GET', path: '/api/v1/editions/:slug/programme/conflicts', reach: 'view', ok: 200 },
  { method: 'GET', path: '/api/v1/editions/:slug/programme/versions', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/versions',
    reach: 'edit',
    ok: 201,
    body: () => ({ name: 'Matrix version' }),
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/scheduling-runs',
    reach: 'edit',
    ok: 202,
    body: () => ({ mode: 'unscheduled' }),
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/programme/scheduling-runs/:run',
    reach: 'view',
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/scheduling-runs/:run/apply',
    reach: 'edit',
    ok: 200,
  },
  // Pages
  { method: 'GET', path: '/admin', reach: 'account', ok: 200 },
  { method: 'GET', path: '/admin/editions/new', reach: 'create', ok: 200 },
  { method: 'POST', path: '/admin/editions', reach: 'create', ok: 303, body: newEdition },
  { method: 'GET', path: '/admin/editions/:slug', reach: 'view', ok: 200 },
  { method: 'GET', path: '/admin/editions/:slug/edit', reach: 'edit', ok: 200 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/edit',
    reach: 'edit',
    ok: 303,
    body: () => ({ capacity: 500 }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/transitions',
    reach: 'edit',
    ok: 303,
    body: () => ({ transition: 'announce' }),
    prepare: toDraft,
  },
  { method: 'GET', path: '/admin/editions/:slug/clone', reach: 'edit', ok: 200 },
  { method: 'POST', path: '/admin/editions/:slug/clone', reach: 'edit', ok: 303, body: clone },
  { method: 'GET', path: '/admin/editions/:slug/team', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/team/invite',
    reach: 'team',
    ok: 303,
    body: invite,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/team/:member/role',
    reach: 'team',
    ok: 303,
    body: () => ({ role: 'reviewer' }),
  },
  { method: 'POST', path: '/admin/editions/:slug/team/:member/remove', reach: 'team', ok: 303 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/invitations/:invitation/revoke',
    reach: 'team',
    ok: 303,
  },
  { method: 'GET', path: '/admin/editions/:slug/tokens', reach: 'view', ok: 200 },
  { method: 'POST', path: '/admin/editions/:slug/tokens', reach: 'view', ok: 201, body: tokenFor },
  {
    method: 'POST',
    path: '/admin/editions/:slug/tokens/:ownToken/revoke',
    reach: 'view',
    ok: 303,
  },
  { method: 'GET', path: '/admin/editions/:slug/proposals', reach: 'review', ok: 200 },
  { method: 'GET', path: '/admin/editions/:slug/proposals/:proposal', reach: 'review', ok: 200 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/proposals/:proposal/review',
    reach: 'review',
    ok: 303,
    body: () => ({
      'scores.diversity': 'abstain',
      'scores.feasibility': 2,
      'scores.fit': 4,
      'scores.originality': 5,
    }),
    prepare: defaultCriteriaOnly,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/proposals/:proposal/assignments',
    reach: 'edit',
    ok: 303,
    body: () => ({ reviewerId: matrixReviewerId }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/proposals/:proposal/assignments/:member/remove',
    reach: 'edit',
    ok: 303,
  },
  {
    method: 'GET',
    path: '/admin/editions/:slug/review/next',
    reach: 'review',
    ok: 303,
    redirects: true,
  },
  { method: 'GET', path: '/admin/editions/:slug/review-criteria', reach: 'review', ok: 200 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/review-criteria',
    reach: 'edit',
    ok: 303,
    body: criterion,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/review-criteria/:criterion',
    reach: 'edit',
    ok: 303,
    body: () => ({ nameEn: 'Reach', nameFr: 'Portée', weight: 2 }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/review-criteria/:criterion/delete',
    reach: 'edit',
    ok: 303,
  },
  { method: 'GET', path: '/admin/editions/:slug/assignments', reach: 'edit', ok: 200 },
  { method: 'POST', path: '/admin/editions/:slug/assignments/auto', reach: 'edit', ok: 303 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/reviewers/:member/organisation',
    reach: 'edit',
    ok: 303,
    body: () => ({ organisation: 'Matrix' }),
  },
  { method: 'GET', path: '/admin/editions/:slug/decisions', reach: 'edit', ok: 200 },
  { method: 'POST', path: '/admin/editions/:slug/decisions', reach: 'edit', ok: 303 },
  { method: 'GET', path: '/admin/editions/:slug/decisions/release', reach: 'edit', ok: 200 },
  { method: 'POST', path: '/admin/editions/:slug/decisions/release', reach: 'edit', ok: 303 },
  { method: 'GET', path: '/admin/editions/:slug/mix', reach: 'edit', ok: 200 },
  {
    method: 'GET',
    path: '/admin/editions/:slug/registrations',
    reach: 'edit',
    ok: 200,
    prepare: withRegistration,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/registrations/:registration/cancel',
    reach: 'edit',
    ok: 303,
  },
  {
    method: 'GET',
    path: '/admin/editions/:slug/registration-settings',
    reach: 'edit',
    ok: 200,
    prepare: withRegistration,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/registration-settings',
    reach: 'edit',
    ok: 303,
    body: () => ({
      opensAt: new Date(Date.now() - 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      waitlistMode: 'auto',
    }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/registration-settings/categories',
    reach: 'edit',
    ok: 303,
    body: () => ({ key: fresh('cat'), nameFr: 'Catégorie', nameEn: 'Category' }),
    prepare: withRegistration,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/registration-settings/categories/:categoryKey',
    reach: 'edit',
    ok: 303,
    body: () => ({ nameFr: 'Catégorie', nameEn: 'Category', quota: 5 }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/registration-settings/categories/:categoryKey/delete',
    reach: 'edit',
    ok: 303,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/registration-settings/questions',
    reach: 'edit',
    ok: 303,
    body: () => ({ key: fresh('q'), labelFr: 'Question', labelEn: 'Question' }),
    prepare: withRegistration,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/registration-settings/questions/:questionKey',
    reach: 'edit',
    ok: 303,
    body: () => ({ labelFr: 'Question ?', labelEn: 'Question?' }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/registration-settings/questions/:questionKey/delete',
    reach: 'edit',
    ok: 303,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/registration-settings/invitation-codes',
    reach: 'edit',
    ok: 303,
    body: () => ({ category: 'participant', maxUses: 2 }),
    prepare: withRegistration,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/registration-settings/invitation-codes/:invitationCode/revoke',
    reach: 'edit',
    ok: 303,
  },
  { method: 'GET', path: '/admin/editions/:slug/workshops/:workshop', reach: 'edit', ok: 200 },
  {
    method: 'GET',
    path: '/admin/editions/:slug/check-in',
    reach: 'checkin',
    ok: 200,
    prepare: withRegistration,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/check-in',
    reach: 'checkin',
    ok: 303,
    body: () => ({ code: lastCheckInCode }),
    prepare: prepareCheckIn,
  },
  {
    method: 'GET',
    path: '/admin/editions/:slug/survey',
    reach: 'edit',
    ok: 200,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/survey',
    reach: 'edit',
    ok: 303,
    prepare: withoutSurvey,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/survey/settings',
    reach: 'edit',
    ok: 303,
    body: () => ({ maxReminders: 3 }),
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/survey/sections',
    reach: 'edit',
    ok: 303,
    body: surveySection,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/survey/sections/:surveySection',
    reach: 'edit',
    ok: 303,
    body: surveySection,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/survey/sections/:surveySection/delete',
    reach: 'edit',
    ok: 303,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/survey/sections/:surveySection/move',
    reach: 'edit',
    ok: 303,
    body: moveUp,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/survey/questions',
    reach: 'edit',
    ok: 303,
    body: surveyQuestion,
    prepare: withSurvey,
  },
  {
    method: 'GET',
    path: '/admin/editions/:slug/survey/questions/:surveyQuestion',
    reach: 'edit',
    ok: 200,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/survey/questions/:surveyQuestion',
    reach: 'edit',
    ok: 303,
    body: surveyQuestion,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/survey/questions/:surveyQuestion/delete',
    reach: 'edit',
    ok: 303,
    prepare: withSurvey,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/survey/questions/:surveyQuestion/move',
    reach: 'edit',
    ok: 303,
    body: moveUp,
    prepare: withSurvey,
  },
  {
    method: 'GET',
    path: '/admin/editions/:slug/survey/preview',
    reach: 'edit',
    ok: 200,
    prepare: withSurvey,
  },
  {
    method: 'GET',
    path: '/admin/editions/:slug/survey/results',
    reach: 'edit',
    ok: 200,
    prepare: withSurvey,
  },
  {
    method: 'GET',
    path: '/admin/editions/:slug/survey/results/csv',
    reach: 'edit',
    ok: 200,
    prepare: withSurvey,
  },
  {
    method: 'GET',
    path: '/admin/editions/:slug/survey/results/xlsx',
    reach: 'edit',
    ok: 200,
    prepare: withSurvey,
  },
  { method: 'GET', path: '/admin/editions/:slug/report', reach: 'edit', ok: 200 },
  { method: 'GET', path: '/admin/editions/:slug/report/download.html', reach: 'edit', ok: 200 },
  { method: 'GET', path: '/admin/editions/:slug/report/download.pdf', reach: 'edit', ok: 200 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/report',
    reach: 'edit',
    ok: 303,
    body: () => ({ body: 'Les enjeux clés' }),
  },
  { method: 'GET', path: '/admin/editions/:slug/programme', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/programme/sessions/:session/placement',
    reach: 'edit',
    ok: 303,
    body: () => ({ roomId: '', startsAt: '', version: 1 }),
  },
  { method: 'POST', path: '/admin/editions/:slug/programme/import', reach: 'edit', ok: 303 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/programme/rooms/copy-previous',
    reach: 'edit',
    ok: 303,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/programme/publish',
    reach: 'edit',
    ok: 303,
    body: () => ({ name: 'Matrix page version' }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/programme/scheduling-runs',
    reach: 'edit',
    ok: 303,
    body: () => ({ mode: 'unscheduled' }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/programme/scheduling-runs/:run/apply',
    reach: 'edit',
    ok: 303,
  },
  { method: 'GET', path: '/admin/outbox', reach: 'platform', ok: 200, refused: 403 },
  { method: 'GET', path: '/admin/outbox/:message', reach: 'platform', ok: 200, refused: 403 },
  { method: 'GET', path: '/admin/outbox/:message/html', reach: 'platform', ok: 200, refused: 403 },
  {
    method: 'POST',
    path: '/admin/outbox/:message/retry',
    reach: 'platform',
    ok: 303,
    refused: 403,
  },
  { method: 'GET', path: '/admin/queues', reach: 'platform', ok: 200, refused: 404 },
  { method: 'GET', path: '/admin/queues/api/queues', reach: 'platform', ok: 200, refused: 404 },
];

/**
 * Routes under /admin and /api/v1 that anyone may call: signing in and out, password reset,
 * invitations (the link is the credential), the public series, the call for contributions
 * and proposals, registration (the emailed manage token is the credential).
 */
const PUBLIC_ROUTES = [
  'GET /admin/invitations/:token',
  'GET /admin/login',
  'GET /admin/password/forgot',
  'GET /admin/password/reset/:token',
  'GET /api/v1/editions',
  'GET /api/v1/editions/:slug',
  'GET /api/v1/editions/:slug/call',
  'GET /api/v1/editions/:slug/registration',
  'POST /api/v1/editions/:slug/registrations',
  'GET /api/v1/registrations/:id',
  'PATCH /api/v1/registrations/:id',
  'DELETE /api/v1/registrations/:id',
  'POST /api/v1/registrations/:id/accept',
  'GET /api/v1/registrations/:id/interests',
  'PUT /api/v1/registrations/:id/interests',
  'GET /api/v1/registrations/:id/agenda',
  'GET /api/v1/registrations/:id/agenda.ics',
  'GET /api/v1/registrations/:id/workshops',
  'POST /api/v1/registrations/:id/workshops/:sessionId',
  'DELETE /api/v1/registrations/:id/workshops/:sessionId',
  'GET /api/v1/editions/:slug/programme',
  'GET /api/v1/proposals/:id',
  'GET /api/v1/survey-invitations/:id',
  'PUT /api/v1/survey-invitations/:id/draft',
  'POST /api/v1/survey-invitations/:id/response',
  'PATCH /api/v1/proposals/:id',
  'DELETE /api/v1/proposals/:id',
  'POST /api/v1/proposals/:id/submit',
  'POST /api/v1/proposals/:id/speakers',
  'POST /api/v1/editions/:slug/proposals',
  'POST /api/v1/proposals/:id/confirm',
  'POST /api/v1/proposals/:id/decline',
  'POST /admin/invitations/:token',
  'POST /admin/login',
  'POST /admin/logout',
  'POST /admin/password/forgot',
  'POST /admin/password/reset/:token',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/confirm',
];

type Outcome = { status: number; toLogin?: boolean };

/** The answer `who` must get from `route`. */
function expected(route: Route, who: Who): Outcome {
  if (who === 'anonymous')
    return route.path.startsWith('/api/') ? { status: 401 } : { status: 303, toLogin: true };
  const allowed: Record<Reach, readonly Who[]> = {
    account: ['outsider', 'volunteer', 'reviewer', 'organiser', 'owner', 'admin'],
    create: ['outsider', 'organiser', 'owner', 'admin'],
    view: ['volunteer', 'reviewer', 'organiser', 'owner', 'admin'],
    review: ['reviewer', 'organiser', 'owner', 'admin'],
    edit: ['organiser', 'owner', 'admin'],
    team: ['organiser', 'owner', 'admin'],
    platform: ['admin'],
    checkin: ['volunteer', 'organiser', 'owner', 'admin'],
  };
  if (allowed[route.reach].includes(who)) return { status: route.ok };
  if (route.reach === 'platform') return { status: route.refused ?? 403 };
  // Someone with no role in the edition does not learn that it exists.
  if (who === 'outsider' && ['view', 'review', 'edit', 'team', 'checkin'].includes(route.reach))
    return { status: 404 };
  return { status: 403 };
}

describe('Authorization matrix', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;
  let ctx: Context;
  let outsiderEdition: Edition;
  const accounts = {} as Record<Exclude<Who, 'anonymous'>, CreatedAccount>;
  const browsers = {} as Record<Who, Browser>;
  const csrfTokens = new Map<Who, string>();

  /** Makes the value of a path parameter for one request by `who`. */
  const PARAMS: Record<string, (who: Who) => Promise<string>> = {
    slug: async () => ctx.edition.slug,
    /** A submitted proposal of this edition, to decide on. */
    decidable: () => decidableProposal(ctx),
    /** A volunteer, to change or remove. */
    member: async () => {
      const account = await createAccount(ds);
      await ds.query(
        `INSERT INTO memberships (edition_id, account_id, role) VALUES ($1, $2, 'volunteer')`,
        [ctx.edition.id, account.id],
      );
      return account.id;
    },
    /** A confirmed registration, to change or cancel. */
    registration: async () => newRegistration(ctx),
    /** An unused ticket category of the matrix edition, to change or delete (by key). */
    categoryKey: async () => {
      await withRegistration(ctx);
      const key = fresh('cat');
      await ds.query(
        `INSERT INTO ticket_categories (edition_id, key, name_fr, name_en, position)
         VALUES ($1, $2, 'C', 'C', 50)`,
        [ctx.edition.id, key],
      );
      return key;
    },
    /** A custom registration question, to change or delete (by key). */
    questionKey: async () => {
      await withRegistration(ctx);
      const key = fresh('q');
      await ds.query(
        `UPDATE registration_settings SET questions = questions || $2::jsonb WHERE edition_id = $1`,
        [ctx.edition.id, JSON.stringify([{ key, labelFr: 'Q', labelEn: 'Q', required: false }])],
      );
      return key;
    },
    /** An invitation code of the matrix edition, to revoke. */
    invitationCode: async () => {
      await withRegistration(ctx);
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO invitation_codes (edition_id, category_id, code)
         SELECT $1, id, $2 FROM ticket_categories WHERE edition_id = $1 AND key = 'participant'
         RETURNING id`,
        [ctx.edition.id, fresh('code').toUpperCase()],
      );
      return id;
    },
    /** A workshop of a newly published version of the matrix edition's programme. */
    workshop: async () => {
      const id = randomUUID();
      const start = new Date(ctx.edition.startsAt.getTime() + 3_600_000);
      const end = new Date(start.getTime() + 5_400_000);
      const snapshot = {
        edition: {
          slug: ctx.edition.slug,
          title: ctx.edition.title,
          hostCity: ctx.edition.hostCity,
          venueName: '',
          venueAddress: '',
          timezone: ctx.edition.timezone,
          startsAt: ctx.edition.startsAt.toISOString(),
          endsAt: ctx.edition.endsAt.toISOString(),
          defaultLocale: 'fr',
        },
        rooms: [{ id: randomUUID(), name: 'Salle', capacity: 20, stepFree: true, accessNotes: '' }],
        themes: [],
        blocks: [],
        days: [],
        stepMinutes: 15,
        sessions: [
          {
            id,
            title: 'Matrix workshop',
            abstract: '',
            kind: 'workshop',
            language: 'fr',
            themeId: null,
            roomId: '',
            start: start.toISOString(),
            end: end.toISOString(),
            durationMinutes: 90,
            capacity: 20,
            speakers: [],
          },
        ],
      };
      await ds.query(
        `INSERT INTO schedule_versions (edition_id, number, name, snapshot, changelog)
         SELECT $1, coalesce(max(number), 0) + 1, 'Matrix', $2::jsonb, $3::jsonb
           FROM schedule_versions WHERE edition_id = $1`,
        [
          ctx.edition.id,
          JSON.stringify(snapshot),
          JSON.stringify({ added: [], moved: [], cancelled: [] }),
        ],
      );
      return id;
    },
    /** A pending invitation, to revoke. */
    invitation: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO invitations (edition_id, email, role, token_hash, invited_by_id, expires_at)
         VALUES ($1, $2, 'reviewer', $3, $4, now() + interval '14 days') RETURNING id`,
        [
          ctx.edition.id,
          `${fresh('pending')}@example.org`,
          randomBytes(32).toString('hex'),
          accounts.owner.id,
        ],
      );
      return id;
    },
    /** A token of the asker (in this edition; the outsider's in their own). */
    ownToken: async (who) => {
      const holder = who === 'anonymous' ? accounts.owner : accounts[who];
      const edition = who === 'outsider' ? outsiderEdition : ctx.edition;
      const { token } = await api.app
        .get(ApiTokenService)
        .create(holder.id, edition.id, EditionRole.Volunteer, 'To revoke');
      return token.id;
    },
    /** A format of the matrix edition's call, to change or delete. */
    format: async () => {
      await ensureCall(ctx);
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO call_formats (edition_id, key, name_fr, name_en, default_duration_minutes, max_speakers)
         VALUES ($1, $2, 'F', 'F', 60, 2) RETURNING id`,
        [ctx.edition.id, fresh('fmt')],
      );
      return id;
    },
    /** A theme of the matrix edition's call. */
    theme: async () => {
      await ensureCall(ctx);
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO call_themes (edition_id, name_fr, name_en) VALUES ($1, 'T', 'T') RETURNING id`,
        [ctx.edition.id],
      );
      return id;
    },
    /** A room of the matrix edition, to change or delete. */
    room: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO rooms (edition_id, name, capacity) VALUES ($1, $2, 30) RETURNING id`,
        [ctx.edition.id, fresh('room')],
      );
      return id;
    },
    /** A fixed block, to delete. */
    block: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO fixed_blocks (edition_id, kind, title, starts_at, ends_at)
         VALUES ($1, 'break', 'Pause', now(), now() + interval '30 minutes') RETURNING id`,
        [ctx.edition.id],
      );
      return id;
    },
    /** A custom question of the matrix edition's call. */
    question: async () => {
      await ensureCall(ctx);
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO call_questions (edition_id, key, kind, label_fr, label_en)
         VALUES ($1, $2, 'short_text', 'Q', 'Q') RETURNING id`,
        [ctx.edition.id, fresh('q')],
      );
      return id;
    },
    /** A submitted proposal (the edition gets a call with formats the first time). */
    proposal: async () => {
      const [format] = await ds.query<{ id: string }[]>(
        `SELECT id FROM call_formats WHERE edition_id = $1 LIMIT 1`,
        [ctx.edition.id],
      );
      const formatId = format?.id ?? (await createCallFor(ds, ctx.edition.id)).formats.atelier;
      return createProposalFor(ds, ctx.edition.id, { formatId });
    },
    /** A review criterion of the edition, to change or delete. */
    criterion: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO review_criteria (edition_id, key, name_fr, name_en, position)
         VALUES ($1, $2, 'Critère', 'Criterion', 99) RETURNING id`,
        [ctx.edition.id, fresh('c').replace(/-/g, '_')],
      );
      return id;
    },
    /** A section of the matrix edition's survey. */
    surveySection: async () => {
      await withSurvey(ctx);
      return matrixSectionId;
    },
    /** A question of the matrix edition's survey. */
    surveyQuestion: async () => {
      await withSurvey(ctx);
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO survey_questions (survey_id, section_id, key, kind, label_fr, label_en)
         SELECT survey_id, id, $2, 'rating', 'Q', 'Q' FROM survey_sections WHERE id = $1 RETURNING id`,
        [matrixSectionId, fresh('q')],
      );
      return id;
    },
    /** A session at version 1, to read, change, place or delete. */
    session: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO programme_sessions (edition_id, title, kind, duration_minutes)
         VALUES ($1, 'Matrix session', 'talk', 60) RETURNING id`,
        [ctx.edition.id],
      );
      return id;
    },
    /** A finished scheduling run with nothing to change, to read or apply. */
    run: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO scheduling_runs (edition_id, mode, status, progress, result)
         VALUES ($1, 'unscheduled', 'done', 100, $2) RETURNING id`,
        [
          ctx.edition.id,
          JSON.stringify({
            placements: [],
            unplaced: [],
            cost: { overflow: 0, overlap: 0, moves: 0 },
          }),
        ],
      );
      return id;
    },
    /** A failed email, to look at and retry. */
    message: async () => {
      const outbox = api.app.get(MailOutbox);
      const [id] = await ds.transaction((em) =>
        outbox.stage(em, [
          {
            to: 'someone@example.org',
            template: 'password-reset',
            locale: 'fr',
            data: api.app.get(MailTemplates).sample('password-reset'),
            purpose: fresh('matrix'),
          },
        ]),
      );
      await ds.query(`UPDATE outbox_messages SET status = 'failed' WHERE id = $1`, [id]);
      return id;
    },
  };

  async function resolve(path: string, who: Who): Promise<string> {
    let resolved = path;
    for (const [, name] of path.matchAll(/:(\w+)/g)) {
      const make = PARAMS[name];
      if (!make) throw new Error(`no maker for :${name} in ${path}`);
      resolved = resolved.replace(`:${name}`, await make(who));
    }
    return resolved;
  }

  /** The CSRF token of `who`'s forms (the login form, or the sign-out button of any page). */
  async function csrfOf(who: Who): Promise<string> {
    let token = csrfTokens.get(who);
    if (!token) {
      token = await browsers[who].csrf(who === 'anonymous' ? '/admin/login' : '/');
      csrfTokens.set(who, token);
    }
    return token;
  }

  async function call(route: Route, who: Who) {
    await route.prepare?.(ctx);
    const path = await resolve(route.path, who);
    const browser = browsers[who];
    const body = route.body?.(who);
    if (path.startsWith('/api/')) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      return { path, res: await browser.json(method, path, body) };
    }
    if (route.method === 'GET') return { path, res: await browser.get(path) };
    const fields = (body ?? {}) as Record<string, string | number | boolean>;
    return { path, res: await browser.post(path, fields, await csrfOf(who)) };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { TRUST_PROXY: 'true' });
    api = await startApi(config);
    ds = api.app.get(DataSource);

    accounts.outsider = await createAccount(ds, { name: 'Outsider' });
    accounts.admin = await createAccount(ds, { name: 'Admin', isPlatformAdmin: true });
    ({ edition: outsiderEdition } = await createEdition(ds, {
      slug: 'elsewhere-2027',
      members: { organiser: accounts.outsider },
    }));
    const { edition, members } = await createEdition(ds, {
      slug: 'matrix-2027',
      members: { owner: {}, organiser: {}, reviewer: {}, volunteer: {} },
    });
    ctx = { ds, edition };
    for (const role of ['owner', 'organiser', 'reviewer', 'volunteer'] as const)
      accounts[role] = members[role] as CreatedAccount;
    matrixReviewerId = accounts.reviewer.id;

    browsers.anonymous = newBrowser(api);
    for (const who of PEOPLE)
      if (who !== 'anonymous')
        browsers[who] = await loginJson(api, accounts[who].email, DEFAULT_PASSWORD);
  });

  afterAll(async () => {
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it('has a row for every route of the app that needs a signed-in person', () => {
    const served = routesOf(api.app.getHttpAdapter().getInstance())
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => / \/(admin|api\/v1)(\/|$)/.test(route))
      .filter((route) => !PUBLIC_ROUTES.includes(route));
    const normalise = (path: string) => path.replace(/:\w+/g, ':param');
    const inTable = ROUTES.filter((r) => !r.path.startsWith('/admin/queues')).map((r) =>
      normalise(`${r.method} ${r.path}`),
    );

    expect([...new Set(served.map(normalise))].sort()).toEqual([...new Set(inTable)].sort());
  });

  describe.each(ROUTES)('$method $path', (route) => {
    it.each(PEOPLE)('answers %s as the matrix says', async (who) => {
      const want = expected(route, who);
      const { path, res } = await call(route, who);

      expect({ who, status: res.status }).toEqual({ who, status: want.status });
      if (want.toLogin) {
        // A page comes back after sign-in; a form's POST address is no page, so /admin does.
        const next = route.method === 'GET' ? path : '/admin';
        expect(res.headers.location).toBe(`/admin/login?next=${encodeURIComponent(next)}`);
      } else if (want.status === 401) {
        expect(res.body.code).toBe('auth.required');
      } else if (want.status === 303 && route.redirects) {
        expect(res.headers.location).toMatch(/^\/admin\/editions\//);
      } else if (want.status === 303) {
        expect(res.headers.location).not.toMatch(/^\/admin\/login/);
        expect(flashIn(res)).toMatchObject({ kind: 'success' });
      } else if (want.status === 403 && path.startsWith('/api/')) {
        expect(res.body.code).toMatch(/forbidden/);
      } else if (want.status === 404 && path.startsWith('/api/')) {
        expect(res.body.code).toBe('edition.not_found');
      }
    });
  });
});
