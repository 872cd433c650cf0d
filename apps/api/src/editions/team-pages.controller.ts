import { Actor, ApiTokenService } from '@assises/accounts';
import {
  ChangeRoleDto,
  CreateApiTokenDto,
  EDITION_ROLES,
  EditionPermission,
  EditionService,
  InviteMemberDto,
  roleAllows,
  TeamService,
} from '@assises/editions';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { flash } from '../http/flash';
import { FormErrors, formErrorsFrom, parseForm, submitAction, submitForm } from '../http/forms';

/**
 * A submitted page form. Not called `Body`: the decorator metadata would name Nest's `@Body`
 * function as the parameter type, and the global ValidationPipe would refuse every field.
 */
type FormBody = Record<string, unknown>;
/** A role the actor may not hand out is shown beside the role field. */
const ROLE_FIELDS = { 'edition.forbidden': 'role' };

/** An edition's team (members, roles, invitations) and the API tokens one holds for it. */
@ApiExcludeController()
@Controller('admin/editions/:slug')
export class TeamPagesController {
  constructor(
    private readonly editions: EditionService,
    private readonly team: TeamService,
    private readonly tokens: ApiTokenService,
  ) {}

  @Get('team')
  async teamPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderTeam(actor, slug, res, 200, {});
  }

  @Post('team/invite')
  async invite(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.editions.access(actor, slug, EditionPermission.ManageTeam);
    await submitForm({
      res,
      body,
      dto: InviteMemberDto,
      fieldByCode: ROLE_FIELDS,
      run: async ({ email, role, locale }) => {
        await this.team.invite(actor, slug, email, role, locale);
        return `/admin/editions/${slug}/team`;
      },
      success: ({ email }) => ({ key: 'common.flash.invitation_sent', args: { email } }),
      rerender: (errors) => this.renderTeam(actor, slug, res, 422, { values: body, errors }),
    });
  }

  @Post('team/:accountId/role')
  async changeRole(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const form = await parseForm(ChangeRoleDto, body);
    if (!form.ok) return this.renderTeam(actor, slug, res, 422, { errors: form.errors });
    await submitAction({
      res,
      run: () => this.team.changeRole(actor, slug, accountId, form.value.role),
      success: 'common.flash.role_changed',
      target: `/admin/editions/${slug}/team`,
      messageFrom: (error) => formErrorsFrom(error)._form?.[0],
    });
  }

  @Post('team/:accountId/remove')
  async remove(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Res() res: Response,
  ): Promise<void> {
    await submitAction({
      res,
      run: () => this.team.removeMember(actor, slug, accountId),
      success: 'common.flash.member_removed',
      target: `/admin/editions/${slug}/team`,
      messageFrom: (error) => formErrorsFrom(error)._form?.[0],
    });
  }

  @Post('invitations/:id/revoke')
  async revokeInvitation(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.team.revokeInvitation(actor, slug, id);
    flash(res, 'success', 'common.flash.invitation_revoked');
    res.redirect(303, `/admin/editions/${slug}/team`);
  }

  @Get('tokens')
  async tokensPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderTokens(actor, slug, res, 200, {});
  }

  @Post('tokens')
  async createToken(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const form = await parseForm(CreateApiTokenDto, body);
    if (!form.ok)
      return this.renderTokens(actor, slug, res, 422, { values: body, errors: form.errors });
    try {
      const created = await this.team.createApiToken(
        actor,
        slug,
        form.value.role,
        form.value.label,
      );
      // Shown once, on this page only: never in a redirect, a cookie or a log.
      await this.renderTokens(actor, slug, res, 201, { secret: created.secret });
    } catch (error) {
      await this.renderTokens(actor, slug, res, 422, {
        values: body,
        errors: formErrorsFrom(error, ROLE_FIELDS),
      });
    }
  }

  @Post('tokens/:id/revoke')
  async revokeToken(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.editions.access(actor, slug, EditionPermission.View);
    await this.tokens.revoke(actor.accountId, id);
    flash(res, 'success', 'common.flash.token_revoked');
    res.redirect(303, `/admin/editions/${slug}/tokens`);
  }

  private async renderTeam(
    actor: Actor,
    slug: string,
    res: Response,
    status: number,
    extra: { values?: FormBody; errors?: FormErrors },
  ): Promise<void> {
    const { edition, role } = await this.editions.access(actor, slug, EditionPermission.View);
    const canManage = roleAllows(role, EditionPermission.ManageTeam);
    res.status(status).render('pages/admin/team', {
      title: 'admin.team_title',
      edition,
      role,
      canManage,
      roles: EDITION_ROLES,
      members: await this.team.members(actor, slug),
      invitations: canManage ? await this.team.pendingInvitations(actor, slug) : [],
      values: { role: 'reviewer', ...(extra.values ?? {}) },
      errors: extra.errors,
    });
  }

  private async renderTokens(
    actor: Actor,
    slug: string,
    res: Response,
    status: number,
    extra: { values?: FormBody; errors?: FormErrors; secret?: string },
  ): Promise<void> {
    const { edition, role } = await this.editions.access(actor, slug, EditionPermission.View);
    const tokens = (await this.tokens.list(actor.accountId)).filter(
      (t) => t.editionId === edition.id,
    );
    res.status(status).render('pages/admin/tokens', {
      title: 'admin.tokens_title',
      edition,
      role,
      roles: EDITION_ROLES,
      tokens,
      values: { role, ...(extra.values ?? {}) },
      errors: extra.errors,
      secret: extra.secret,
    });
  }
}
