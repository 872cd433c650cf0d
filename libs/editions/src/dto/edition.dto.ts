import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { EDITION_TRANSITIONS, EditionTransition } from '../edition-status.machine';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

/** A date-time: ISO 8601 with an offset (an instant), or local (`2027-02-04T09:00`) in the edition's timezone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Fields in alphabetical order. */
export class CreateEditionDto {
  @ApiProperty({ example: 1200, description: 'Seats for the whole event' })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity!: number;

  @ApiPropertyOptional({ enum: ['fr', 'en'], default: 'fr' })
  @IsOptional()
  @IsIn(['fr', 'en'])
  defaultLocale?: 'fr' | 'en';

  @ApiPropertyOptional({ description: 'Presentation shown on the public page (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiProperty({
    example: '2027-02-04T18:00',
    description: 'End; local time in the timezone, or ISO with offset',
  })
  @IsString()
  @Matches(DATE_TIME, { message: 'endsAt must be a date-time like 2027-02-04T18:00' })
  endsAt!: string;

  @ApiProperty({ example: 'Clermont-Ferrand' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  hostCity!: string;

  @ApiPropertyOptional({
    example: 'Coworking Auvergne',
    description: 'The local network hosting this edition',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  hostOrganisation?: string;

  @ApiProperty({ example: 'clermont-2027', description: 'Lower-case letters, digits and dashes' })
  @Transform(trim)
  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$/, {
    message: 'slug must be 3 to 60 lower-case letters, digits or dashes',
  })
  slug!: string;

  @ApiProperty({ example: '2027-02-04T09:00' })
  @IsString()
  @Matches(DATE_TIME, { message: 'startsAt must be a date-time like 2027-02-04T09:00' })
  startsAt!: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', default: 'Europe/Paris' })
  @IsOptional()
  @IsTimeZone()
  timezone?: string;

  @ApiProperty({ example: 'Assises nationales du coworking 2027' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional({ example: '1 rue du Port, 63000 Clermont-Ferrand' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  venueAddress?: string;

  @ApiPropertyOptional({ example: 'La Comédie' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  venueName?: string;
}

export class UpdateEditionDto extends PartialType(CreateEditionDto) {
  @ApiPropertyOptional({ description: 'People who came (after the event)' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  attendanceCount?: number;
}

/** A new edition from a previous one: what changes with the city; the rest is copied. */
export class CloneEditionDto extends PickType(CreateEditionDto, [
  'endsAt',
  'hostCity',
  'hostOrganisation',
  'slug',
  'startsAt',
  'venueAddress',
  'venueName',
] as const) {
  @ApiPropertyOptional({
    description: 'Also bring the previous team into the new edition',
    default: false,
  })
  @IsOptional()
  @Transform(
    ({ value }: { value: unknown }) => value === true || value === 'true' || value === 'on',
  )
  @IsBoolean()
  copyTeam?: boolean;

  @ApiPropertyOptional({ description: 'Defaults to the previous title with the new year' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title?: string;
}

export class TransitionEditionDto {
  @ApiProperty({ enum: EDITION_TRANSITIONS })
  @IsIn(EDITION_TRANSITIONS)
  transition!: EditionTransition;
}
