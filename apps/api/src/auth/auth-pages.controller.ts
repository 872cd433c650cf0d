import { AuthService, InvalidCredentialsError, PasswordResetService } from '@assises/accounts';
import { APP_CONFIG, AppConfig } from '@assises/config';
import { DomainError } from '@assises/core';
import { AcceptInvitationDto, TeamService } from '@assises/editions';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';
import { flash } from '../http/flash';
import { parseForm } from '../http/forms';
import { AppRequest, SESSION_COOKIE } from '../http/request-context';
import { clearSessionCookie, safeNext, setSessionCookie } from '../http/session-cookie';
import { LoginDto, NewPasswordDto, ResetRequestDto } from './auth.dto';

/**
 * A submitted page form. Not called `Body`: the decorator metadata would name Nest's `@Body`
 * function as the parameter type, and the global ValidationPipe would refuse every field.
 */
type FormBody = Record<string, unknown>;

/** Sign-in, sign-out, forgotten password and invitation pages. */
@ApiExcludeController()
@Controller('admin')
export class AuthPagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly resets: PasswordResetService,
    private readonly team: TeamService,
  ) {}

  @Get('login')
  loginPage(@Req() req: AppRequest, @Res() res: Response, @Query('next') next?: string): void {
    if (req.actor && !req.actor.token) return res.redirect(303, safeNext(next));
    res.render('pages/login', { title: 'auth.login_title', values: { next: safeNext(next) } });
  }

  @Post('login')
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  async login(@Body() body: FormBody, @Req() req: AppRequest, @Res() res: Response): Promise<void> {
    const form = await parseForm(LoginDto, body);
    const values = { email: body.email, next: safeNext(body.next) };
    if (!form.ok)
      return res
        .status(422)
        .render('pages/login', { title: 'auth.login_title', values, errors: form.errors });
    try {
      const session = await this.auth.login(
        form.value.email,
        form.value.password,
        req.headers['user-agent'],
      );
      setSessionCookie(res, this.config, session.token, session.expiresAt);
      res.redirect(303, safeNext(form.value.next));
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError)) throw error;
      res.status(401).render('pages/login', {
        title: 'auth.login_title',
        values,
        errors: { _form: ['errors.auth.invalid_credentials'] },
      });
    }
  }

  @Post('logout')
  async logout(@Req() req: AppRequest, @Res() res: Response): Promise<void> {
    const token = (req.cookies as Record<string, string | undefined>)[SESSION_COOKIE];
    if (token) await this.auth.logout(token);
    clearSessionCookie(res);
    flash(res, 'info', 'common.flash.logged_out');
    res.redirect(303, '/');
  }

  @Get('password/forgot')
  forgotPage(@Res() res: Response): void {
    res.render('pages/password-forgot', { title: 'auth.forgot_title', values: {} });
  }

  @Post('password/forgot')
  @Throttle({ default: { limit: 5, ttl: 60_000 } })
  async forgot(@Body() body: FormBody, @Res() res: Response): Promise<void> {
    const form = await parseForm(ResetRequestDto, body);
    if (!form.ok) {
      return res.status(422).render('pages/password-forgot', {
        title: 'auth.forgot_title',
        values: body,
        errors: form.errors,
      });
    }
    await this.resets.request(form.value.email);
    flash(res, 'info', 'common.flash.reset_sent');
    res.redirect(303, '/admin/login');
  }

  @Get('password/reset/:token')
  async resetPage(@Param('token') token: string, @Res() res: Response): Promise<void> {
    await this.resets.check(token);
    res.render('pages/password-reset', { title: 'auth.reset_title', token });
  }

  @Post('password/reset/:token')
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  async reset(
    @Param('token') token: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const form = await parseForm(NewPasswordDto, body);
    if (!form.ok) {
      return res
        .status(422)
        .render('pages/password-reset', { title: 'auth.reset_title', token, errors: form.errors });
    }
    await this.resets.reset(token, form.value.password);
    clearSessionCookie(res);
    flash(res, 'success', 'common.flash.password_changed');
    res.redirect(303, '/admin/login');
  }

  @Get('invitations/:token')
  async invitationPage(
    @Param('token') token: string,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.team.viewInvitation(token);
    res.render('pages/invitation', this.invitationModel(view, req, {}));
  }

  @Post('invitations/:token')
  async acceptInvitation(
    @Param('token') token: string,
    @Body() body: FormBody,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.team.viewInvitation(token);
    const actor = req.actor && !req.actor.token ? req.actor : null;
    let account: { name: string; password: string } | undefined;
    if (!actor) {
      const form = await parseForm(AcceptInvitationDto, body);
      const errors = form.ok ? {} : form.errors;
      if (form.ok && !form.value.name) errors.name = ['name should not be empty'];
      if (form.ok && !form.value.password)
        errors.password = ['password must be at least 10 characters long'];
      if (Object.keys(errors).length > 0 || !form.ok) {
        return res
          .status(422)
          .render('pages/invitation', this.invitationModel(view, req, { values: body, errors }));
      }
      account = { name: form.value.name!, password: form.value.password! };
    }
    try {
      const joined = await this.team.acceptInvitation(token, actor, account);
      if (!actor) {
        const session = await this.team.signInAfterJoin(
          joined.accountId,
          req.headers['user-agent'],
        );
        setSessionCookie(res, this.config, session.token, session.expiresAt);
      }
      flash(res, 'success', 'common.flash.invitation_accepted', { edition: joined.edition.title });
      res.redirect(303, `/admin/editions/${joined.edition.slug}`);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'forbidden') {
        return res
          .status(403)
          .render(
            'pages/invitation',
            this.invitationModel(view, req, { errors: { _form: [`errors.${error.code}`] } }),
          );
      }
      throw error;
    }
  }

  private invitationModel(
    view: Awaited<ReturnType<TeamService['viewInvitation']>>,
    req: AppRequest,
    extra: { values?: FormBody; errors?: Record<string, string[]> },
  ) {
    const signedInAs = req.actor && !req.actor.token ? req.actor.email : null;
    return {
      title: 'auth.invitation_title',
      invitation: view.invitation,
      edition: view.edition,
      needsAccount: !signedInAs && !view.existingAccountId,
      mustSignIn: !signedInAs && Boolean(view.existingAccountId),
      wrongAccount: Boolean(signedInAs && signedInAs !== view.invitation.email),
      signedInAs,
      loginUrl: `/admin/login?next=${encodeURIComponent(req.originalUrl)}`,
      ...extra,
    };
  }
}
