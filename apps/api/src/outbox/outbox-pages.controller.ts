import { Actor } from '@assises/accounts';
import { APP_CONFIG, AppConfig } from '@assises/config';
import { MailOutbox, MailRenderError, OutboxStatus, readUnsubscribeToken } from '@assises/mail';
import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, requirePlatformAdmin } from '../http/current-actor.decorator';
import { flash } from '../http/flash';

const STATUSES = Object.values(OutboxStatus);

/** Every email, its status and its content (platform admins), and the unsubscribe page (anyone with the link). */
@ApiExcludeController()
@Controller()
export class OutboxPagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: MailOutbox,
  ) {}

  @Get('admin/outbox')
  async list(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Query('status') status?: string,
    @Query('q') search?: string,
    @Query('page') page?: string,
  ): Promise<void> {
    requirePlatformAdmin(actor);
    const current = Math.max(1, Number.parseInt(page ?? '1', 10) || 1);
    const limit = 50;
    const filter = STATUSES.includes(status as OutboxStatus) ? (status as OutboxStatus) : undefined;
    const result = await this.outbox.list({
      status: filter,
      search: search?.slice(0, 100),
      limit,
      offset: (current - 1) * limit,
    });
    const query = (p: number) =>
      '?' +
      String(
        new URLSearchParams({
          ...(filter ? { status: filter } : {}),
          ...(search ? { q: search } : {}),
          page: String(p),
        }),
      );
    res.render('pages/admin/outbox', {
      title: 'outbox.title',
      messages: result.items,
      total: result.total,
      counts: await this.outbox.counts(),
      statuses: STATUSES,
      filter,
      search,
      mode: this.config.mail.smtpUrl ? 'smtp' : 'file',
      mailDir: this.config.mail.dir,
      previousUrl: current > 1 ? query(current - 1) : null,
      nextUrl: current * limit < result.total ? query(current + 1) : null,
    });
  }

  @Get('admin/outbox/:id')
  async show(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    requirePlatformAdmin(actor);
    const message = await this.outbox.get(id);
    let rendered: { subject: string; html: string; text: string } | null = null;
    let renderError: string | null = null;
    try {
      rendered = this.outbox.render(message);
    } catch (error) {
      if (!(error instanceof MailRenderError)) throw error;
      renderError = error.message;
    }
    res.render('pages/admin/outbox-message', {
      title: 'outbox.message_title',
      message,
      rendered,
      renderError,
      retryable:
        message.status === OutboxStatus.Failed || message.status === OutboxStatus.Cancelled,
      data: JSON.stringify(message.data, null, 2),
    });
  }

  /** The HTML part alone, for the preview frame (sandboxed, no scripts). */
  @Get('admin/outbox/:id/html')
  async html(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    requirePlatformAdmin(actor);
    const rendered = this.outbox.render(await this.outbox.get(id));
    res
      .set(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; sandbox",
      )
      .type('html')
      .send(rendered.html);
  }

  @Post('admin/outbox/:id/retry')
  async retry(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    requirePlatformAdmin(actor);
    await this.outbox.retry(id);
    flash(res, 'success', 'common.flash.mail_retried');
    res.redirect(303, `/admin/outbox/${id}`);
  }

  @Get('unsubscribe/:token')
  unsubscribePage(@Param('token') token: string, @Res() res: Response): void {
    const email = readUnsubscribeToken(this.config.session.secret, token);
    if (!email) return res.status(404).render('pages/error', { title: '404', notFound: true });
    res.render('pages/unsubscribe', { title: 'outbox.unsubscribe_title', email, token });
  }

  /** The page's button, and mail clients' one-click unsubscribe (RFC 8058). */
  @Post('unsubscribe/:token')
  @HttpCode(200)
  async unsubscribe(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const email = readUnsubscribeToken(this.config.session.secret, token);
    if (!email) return res.status(404).render('pages/error', { title: '404', notFound: true });
    await this.outbox.suppress(email);
    res.render('pages/unsubscribe', { title: 'outbox.unsubscribe_title', email, done: true });
  }
}
