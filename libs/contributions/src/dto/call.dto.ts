import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** A date-time: ISO 8601 with an offset (an instant), or local (`2027-02-04T09:00`) in the edition's timezone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An organiser sets the call's dates and introduction. Fields in alphabetical order. */
export class UpsertCallDto {
  @ApiProperty({
    example: '2026-12-15T23:59',
    description: 'When submissions close; local time in the edition timezone, or ISO with offset',
  })
  @IsString()
  @Matches(DATE_TIME, { message: 'closesAt must be a date-time like 2026-12-15T23:59' })
  closesAt!: string;

  @ApiPropertyOptional({
    example: 3,
    description: 'Unfinished drafts get one reminder this many days before the deadline',
  })
  @IsOptional()
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
}
