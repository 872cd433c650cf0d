import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { toBoolean, toNumber } from './call-settings.dto';

/** A date-time: ISO 8601 with an offset (an instant), or local (`2027-02-04T09:00`) in the edition's timezone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An organiser sets the call's dates, introduction and settings. Fields in alphabetical order. */
export class UpsertCallDto {
  @ApiPropertyOptional({ description: "Reviewers do not see speakers' names and organisations" })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  blindReview?: boolean;

  @ApiProperty({
    example: '2026-12-15T23:59',
    description: 'When submissions close; local time in the edition timezone, or ISO with offset',
  })
  @IsString()
  @Matches(DATE_TIME, { message: 'closesAt must be a date-time like 2026-12-15T23:59' })
  closesAt!: string;

  @ApiPropertyOptional({
    example: 7,
    description:
      'Days after the release before accepted speakers who have not confirmed get a reminder',
  })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(60)
  confirmationReminderDays?: number;

  @ApiPropertyOptional({
    example: 3,
    description: 'Unfinished drafts get one reminder this many days before the deadline',
  })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(60)
  draftReminderDays?: number;

  @ApiPropertyOptional({ description: 'What the call asks for (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  introduction?: string;

  @ApiProperty({ example: '2026-10-01T09:00', description: 'When submissions open' })
  @IsString()
  @Matches(DATE_TIME, { message: 'opensAt must be a date-time like 2026-10-01T09:00' })
  opensAt!: string;

  @ApiPropertyOptional({ example: 3, description: 'How many reviewers each proposal gets (k)' })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(20)
  reviewsPerProposal?: number;
}
