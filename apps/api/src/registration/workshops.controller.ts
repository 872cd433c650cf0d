import { WorkshopService } from '@assises/registration';
import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { bearerToken } from '../http/bearer-token';

/** An attendee's agenda as a calendar file download. */
export function sendAgenda(res: Response, ics: string): void {
  res.setHeader('Content-Disposition', 'attachment; filename="agenda.ics"');
  res.setHeader('Cache-Control', 'private, no-store');
  res.type('text/calendar; charset=utf-8').send(ics);
}

/** A submitted JSON object (not named `Body`). */
type JsonBody = Record<string, unknown> | undefined;

/** An attendee's interest marks and workshop sign-ups, behind the manage token. */
@ApiTags('registration')
@Controller('api/v1/registrations/:id')
export class WorkshopsController {
  constructor(private readonly workshops: WorkshopService) {}

  /** The working programme's sessions, with the attendee's interest marks. */
  @Get('interests')
  @ApiBearerAuth()
  async interests(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return { sessions: await this.workshops.interests(id, bearerToken(authorization)) };
  }

  /** Replaces the attendee's marks: `{"sessionIds": [...]}` (sessions of the edition). */
  @Put('interests')
  @ApiBearerAuth()
  @ApiBody({
    schema: {
      type: 'object',
      properties: { sessionIds: { type: 'array', items: { type: 'string' } } },
    },
  })
  async setInterests(
    @Param('id') id: string,
    @Body() body: JsonBody,
    @Headers('authorization') authorization?: string,
  ) {
    return {
      sessions: await this.workshops.setInterests(
        id,
        bearerToken(authorization),
        body?.sessionIds ?? [],
      ),
    };
  }

  /**
   * The attendee's personal agenda: plenaries and keynotes, and their workshops (`place`:
   * `everyone`, `confirmed` or `waiting`), in time order; empty before publication.
   */
  @Get('agenda')
  @ApiBearerAuth()
  async agenda(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    const { version, items } = await this.workshops.agenda(id, bearerToken(authorization));
    return { version: version ? { number: version.number, name: version.name } : null, items };
  }

  /** The agenda as iCalendar (plenaries and the workshops where the attendee has a seat). */
  @Get('agenda.ics')
  @ApiBearerAuth()
  async agendaIcal(
    @Param('id') id: string,
    @Res() res: Response,
    @Headers('authorization') authorization?: string,
  ): Promise<void> {
    sendAgenda(res, await this.workshops.agendaIcal(id, bearerToken(authorization)));
  }

  /** The published programme's workshops, with the attendee's place in each. */
  @Get('workshops')
  @ApiBearerAuth()
  async list(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return { workshops: await this.workshops.workshops(id, bearerToken(authorization)) };
  }

  /** A seat, or a place in the workshop's waiting list; 409 `workshop.clash` on a clash. */
  @Post('workshops/:sessionId')
  @HttpCode(200)
  @ApiBearerAuth()
  async signUp(
    @Param('id') id: string,
    @Param('sessionId') sessionId: string,
    @Headers('authorization') authorization?: string,
  ) {
    return this.workshops.signUp(id, bearerToken(authorization), sessionId);
  }

  /** Leaves the workshop or its waiting list; a freed seat goes to the next person waiting. */
  @Delete('workshops/:sessionId')
  @HttpCode(204)
  @ApiBearerAuth()
  async leave(
    @Param('id') id: string,
    @Param('sessionId') sessionId: string,
    @Headers('authorization') authorization?: string,
  ): Promise<void> {
    await this.workshops.leave(id, bearerToken(authorization), sessionId);
  }
}
