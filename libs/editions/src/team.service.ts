import {
  Account,
  AccountService,
  Actor,
  ApiTokenService,
  AuthService,
  CreatedApiToken,
} from '@assises/accounts';
import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, hashSecret, isLocale, newSecret } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import { MailOutbox } from '@assises/mail';
import { Inject, Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { InvalidLinkError } from '@assises/accounts';
import { EditionPermission, roleWithin } from './edition-access';
import { EditionService } from './edition.service';
import { Edition } from './edition.entity';
import {
  EditionForbiddenError,
  InvitationEmailMismatchError,
  LastOwnerError,
  MemberNotFoundError,
} from './editions.errors';
import { Invitation } from './invitation.entity';
import { EditionRole, Membership } from './membership.entity';

const INVITATION_TTL_DAYS = 14;

const ROLE_LABELS: Record<'fr' | 'en', Record<EditionRole, string>> = {
  fr: {
    owner: 'responsable',
    organiser: 'organisateur ou organisatrice',
    reviewer: 'relecteur ou relectrice',
    volunteer: 'bénévole',
  },
  en: { owner: 'owner', organiser: 'organiser', reviewer: 'reviewer', volunteer: 'volunteer' },
};

export interface TeamMember {
  accountId: string;
  name: string;
  email: string;
  role: EditionRole;
  since: Date;
}

export interface InvitationView {
  invitation: Invitation;
  edition: Edition;
  /** The account that already uses the invited address, if any. */
  existingAccountId: string | null;
}

/** An edition's team: members, roles, invitations by email, and API tokens within one's role. */
@Injectable()
export class TeamService {
  constructor(
    private readonly db: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly editions: EditionService,
    private readonly accounts: AccountService,
    private readonly auth: AuthService,
    private readonly tokens: ApiTokenService,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async members(actor: Actor, slug: string): Promise<TeamMember[]> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    const rows = await this.db.manager
      .createQueryBuilder(Membership, 'm')
      .innerJoin(Account, 'a', 'a.id = m.account_id')
      .select([
        'm.account_id AS "accountId"',
        'a.name AS name',
        'a.email AS email',
        'm.role AS role',
        'm.created_at AS since',
      ])
      .where('m.edition_id = :id', { id: edition.id })
      .orderBy('a.name', 'ASC')
      .getRawMany<TeamMember>();
    return rows;
  }

  async pendingInvitations(actor: Actor, slug: string): Promise<Invitation[]> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.ManageTeam);
    return this.db.manager.find(Invitation, {
      where: { editionId: edition.id, acceptedAt: IsNull(), revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
  }

  /** Emails an invitation (through the outbox). Only an owner can make another owner. */
  async invite(
    actor: Actor,
    slug: string,
    email: string,
    role: EditionRole,
    locale?: string,
  ): Promise<Invitation> {
    const { edition, role: myRole } = await this.editions.access(
      actor,
      slug,
      EditionPermission.ManageTeam,
    );
    if (!roleWithin(role, myRole)) throw new EditionForbiddenError();
    const token = newSecret();
    const lang = isLocale(locale)
      ? locale
      : isLocale(edition.defaultLocale)
        ? edition.defaultLocale
        : 'fr';
    const { invitation, mailIds } = await this.db.run(async (em) => {
      const invitation = await em.save(Invitation, {
        editionId: edition.id,
        email: email.toLowerCase(),
        role,
        tokenHash: hashSecret(token),
        invitedById: actor.accountId,
        expiresAt: new Date(this.clock.now().getTime() + INVITATION_TTL_DAYS * 86_400_000),
        acceptedAt: null,
        revokedAt: null,
      });
      const mailIds = await this.outbox.stage(em, [
        {
          to: invitation.email,
          template: 'invitation',
          locale: lang,
          purpose: `invitation:${invitation.id}`,
          editionId: edition.id,
          data: {
            inviterName: actor.name,
            editionTitle: edition.title,
            hostCity: edition.hostCity,
            role,
            roleLabel: ROLE_LABELS[lang][role],
            acceptUrl: `${this.config.publicUrl}/admin/invitations/${token}`,
            expiresInDays: INVITATION_TTL_DAYS,
          },
        },
      ]);
      await this.audit.record(em, {
        subjectType: 'edition',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'invite',
        data: { email: invitation.email, role },
      });
      return { invitation, mailIds };
    });
    await this.outbox.dispatch(mailIds);
    return invitation;
  }

  async revokeInvitation(actor: Actor, slug: string, invitationId: string): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.ManageTeam);
    const result = await this.db.manager.update(
      Invitation,
      { id: invitationId, editionId: edition.id, acceptedAt: IsNull(), revokedAt: IsNull() },
      { revokedAt: this.clock.now() },
    );
    if (!result.affected) throw new MemberNotFoundError();
  }

  /** What the invitation page shows before accepting. */
  async viewInvitation(token: string): Promise<InvitationView> {
    const invitation = await this.db.manager.findOne(Invitation, {
      where: { tokenHash: hashSecret(token), acceptedAt: IsNull(), revokedAt: IsNull() },
    });
    if (!invitation || invitation.expiresAt <= this.clock.now()) throw new InvalidLinkError();
    const edition = await this.db.manager.findOneOrFail(Edition, {
      where: { id: invitation.editionId },
    });
    const existing = await this.accounts.findByEmail(invitation.email);
    return { invitation, edition, existingAccountId: existing?.id ?? null };
  }

  /**
   * Accepts once. A signed-in person joins with their account (it must be the invited address);
   * someone without an account creates one with the invited address.
   */
  async acceptInvitation(
    token: string,
    actor: Actor | null,
    newAccount?: { name: string; password: string },
  ): Promise<{ accountId: string; edition: Edition }> {
    const view = await this.viewInvitation(token);
    const { invitation } = view;
    if (actor && actor.email.toLowerCase() !== invitation.email)
      throw new InvitationEmailMismatchError();
    if (!actor && view.existingAccountId) throw new InvitationEmailMismatchError();
    return this.db.run(async (em) => {
      // For an UPDATE, TypeORM's query() resolves to [returned rows, affected count].
      const [claimed] = await em.query<[{ id: string }[], number]>(
        `UPDATE invitations SET accepted_at = now()
          WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
        [invitation.id],
      );
      if (claimed.length === 0) throw new InvalidLinkError();
      let accountId = actor?.accountId;
      if (!accountId) {
        if (!newAccount) throw new InvalidLinkError();
        const account = await this.accounts.create(
          {
            email: invitation.email,
            name: newAccount.name,
            password: newAccount.password,
            locale: view.edition.defaultLocale,
          },
          em,
        );
        accountId = account.id;
      }
      await em.query(
        // An owner keeps ownership: accepting an invitation never leaves an edition without one.
        `INSERT INTO memberships (edition_id, account_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (edition_id, account_id) DO UPDATE SET role = EXCLUDED.role
         WHERE memberships.role <> 'owner'`,
        [invitation.editionId, accountId, invitation.role],
      );
      await this.audit.record(em, {
        subjectType: 'edition',
        subjectId: invitation.editionId,
        editionId: invitation.editionId,
        actorId: accountId,
        action: 'join',
        data: { role: invitation.role },
      });
      return { accountId, edition: view.edition };
    });
  }

  async changeRole(
    actor: Actor,
    slug: string,
    accountId: string,
    role: EditionRole,
  ): Promise<void> {
    const { edition, role: myRole } = await this.editions.access(
      actor,
      slug,
      EditionPermission.ManageTeam,
    );
    await this.db.run(async (em) => {
      const member = await em.findOne(Membership, {
        where: { editionId: edition.id, accountId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!member) throw new MemberNotFoundError();
      if (!roleWithin(role, myRole) || !roleWithin(member.role, myRole))
        throw new EditionForbiddenError();
      if (member.role === EditionRole.Owner && role !== EditionRole.Owner)
        await this.assertAnotherOwner(edition.id, accountId);
      await em.update(Membership, { id: member.id }, { role });
      await this.audit.record(em, {
        subjectType: 'edition',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'change_role',
        from: member.role,
        to: role,
        data: { accountId },
      });
    });
  }

  async removeMember(actor: Actor, slug: string, accountId: string): Promise<void> {
    const { edition, role: myRole } = await this.editions.access(
      actor,
      slug,
      EditionPermission.ManageTeam,
    );
    await this.db.run(async (em) => {
      const member = await em.findOne(Membership, { where: { editionId: edition.id, accountId } });
      if (!member) throw new MemberNotFoundError();
      if (!roleWithin(member.role, myRole)) throw new EditionForbiddenError();
      if (member.role === EditionRole.Owner) await this.assertAnotherOwner(edition.id, accountId);
      await em.delete(Membership, { id: member.id });
      await this.audit.record(em, {
        subjectType: 'edition',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'remove_member',
        from: member.role,
        data: { accountId },
      });
    });
  }

  /** A token for the JSON API, never reaching beyond the actor's own role in the edition. */
  async createApiToken(
    actor: Actor,
    slug: string,
    role: EditionRole,
    label: string,
  ): Promise<CreatedApiToken> {
    if (actor.token) throw new EditionForbiddenError();
    const { edition, role: myRole } = await this.editions.access(
      actor,
      slug,
      EditionPermission.View,
    );
    if (!roleWithin(role, myRole)) throw new EditionForbiddenError();
    return this.tokens.create(actor.accountId, edition.id, role, label);
  }

  private async assertAnotherOwner(editionId: string, leavingAccountId: string): Promise<void> {
    const others = await this.db.manager.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM memberships WHERE edition_id = $1 AND role = 'owner' AND account_id <> $2`,
      [editionId, leavingAccountId],
    );
    if (Number(others[0].n) === 0) throw new LastOwnerError();
  }

  /** Used by the auth layer to open a session for a freshly created account. */
  signInAfterJoin(accountId: string, userAgent?: string) {
    return this.accounts
      .get(accountId)
      .then((account) => this.auth.openSession(account, userAgent));
  }
}
