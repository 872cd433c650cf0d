import { Actor, ApiTokenService, AuthService, PasswordResetService } from '@assises/accounts';
import { APP_CONFIG, AppConfig } from '@assises/config';
import { EditionService } from '@assises/editions';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { AppRequest, SESSION_COOKIE } from '../http/request-context';
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie';
import { LoginDto, ResetConfirmDto, ResetRequestDto } from './auth.dto';
import { OrganiserAuth } from '../http/openapi';

/** Login, logout, password reset and one's own API tokens, in JSON. */
@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly resets: PasswordResetService,
    private readonly tokens: ApiTokenService,
    private readonly editions: EditionService,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  async login(
    @Body() body: LoginDto,
    @Req() req: AppRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const session = await this.auth.login(body.email, body.password, req.headers['user-agent']);
    setSessionCookie(res, this.config, session.token, session.expiresAt);
    const { id, name, email, locale, isPlatformAdmin } = session.account;
    return { account: { id, name, email, locale, isPlatformAdmin }, expiresAt: session.expiresAt };
  }

  @Post('auth/logout')
  @HttpCode(204)
  async logout(@Req() req: AppRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = (req.cookies as Record<string, string | undefined>)[SESSION_COOKIE];
    if (token) await this.auth.logout(token);
    clearSessionCookie(res);
  }

  @Get('auth/me')
  @OrganiserAuth()
  async me(@CurrentActor() actor: Actor) {
    const editions = await this.editions.listForActor(actor);
    return {
      account: {
        id: actor.accountId,
        name: actor.name,
        email: actor.email,
        locale: actor.locale,
        isPlatformAdmin: actor.isPlatformAdmin,
      },
      token: actor.token ?? null,
      editions: editions.map(({ edition, role }) => ({
        slug: edition.slug,
        title: edition.title,
        role,
      })),
    };
  }

  /** Always 202, whether the address has an account or not. */
  @Post('auth/password-reset')
  @HttpCode(202)
  @Throttle({ default: { limit: 5, ttl: 60_000 } })
  async requestReset(@Body() body: ResetRequestDto): Promise<{ accepted: true }> {
    await this.resets.request(body.email);
    return { accepted: true };
  }

  @Post('auth/password-reset/confirm')
  @HttpCode(204)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  async confirmReset(@Body() body: ResetConfirmDto): Promise<void> {
    await this.resets.reset(body.token, body.password);
  }

  @Get('me/api-tokens')
  @ApiCookieAuth()
  async listTokens(@CurrentActor() actor: Actor) {
    const tokens = await this.tokens.list(actor.accountId);
    return tokens.map(
      ({ id, label, prefix, role, editionId, createdAt, lastUsedAt, revokedAt }) => ({
        id,
        label,
        prefix,
        role,
        editionId,
        createdAt,
        lastUsedAt,
        revokedAt,
      }),
    );
  }

  @Delete('me/api-tokens/:id')
  @HttpCode(204)
  @ApiCookieAuth()
  async revokeToken(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.tokens.revoke(actor.accountId, id);
  }
}
