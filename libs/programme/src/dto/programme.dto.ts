import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FixedBlockKind } from '../fixed-block.entity';
import { SessionKind } from '../programme-session.entity';
import { SCHEDULE_MODES, ScheduleMode } from '../core/scheduler';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

/** ISO 8601 with an offset (an instant), or local (`2027-02-04T09:00`) in the edition's timezone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A time window; the end is excluded. Fields in alphabetical order. */
export class WindowDto {
  @ApiProperty({ example: '2027-02-04T18:00' })
  @IsString()
  @Matches(DATE_TIME, { message: 'end must be a date-time like 2027-02-04T18:00' })
  end!: string;

  @ApiProperty({ example: '2027-02-04T09:00' })
  @IsString()
  @Matches(DATE_TIME, { message: 'start must be a date-time like 2027-02-04T09:00' })
  start!: string;
}

export class CreateRoomDto {
  @ApiPropertyOptional({ description: 'How to get there, what to know (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  accessNotes?: string;

  @ApiPropertyOptional({
    type: [WindowDto],
    description: 'When the room can be used; empty: whenever the event runs',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => WindowDto)
  availability?: WindowDto[];

  @ApiProperty({ example: 120, description: 'Seats' })
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  capacity!: number;

  @ApiPropertyOptional({ example: ['projector', 'sound'], description: 'Equipment' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  equipment?: string[];

  @ApiProperty({ example: 'Amphithéâtre' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ description: 'Column order on the grid' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  position?: number;

  @ApiPropertyOptional({ default: true, description: 'Reachable without steps' })
  @IsOptional()
  @IsBoolean()
  stepFree?: boolean;
}

export class UpdateRoomDto extends PartialType(CreateRoomDto) {}

export class GridDto {
  @ApiPropertyOptional({ example: '18:00', description: 'End of each event day (local time)' })
  @IsOptional()
  @Matches(CLOCK, { message: 'dayEnd must be a time like 18:00' })
  dayEnd?: string;

  @ApiPropertyOptional({ example: '09:00', description: 'Start of each event day (local time)' })
  @IsOptional()
  @Matches(CLOCK, { message: 'dayStart must be a time like 09:00' })
  dayStart?: string;

  @ApiPropertyOptional({ example: 15, description: 'Sessions start on multiples of this step' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(120)
  stepMinutes?: number;
}

export class FixedBlockDto {
  @ApiProperty({ example: '2027-02-04T14:00' })
  @IsString()
  @Matches(DATE_TIME, { message: 'endsAt must be a date-time like 2027-02-04T14:00' })
  endsAt!: string;

  @ApiProperty({ enum: FixedBlockKind })
  @IsIn(Object.values(FixedBlockKind))
  kind!: FixedBlockKind;

  @ApiProperty({ example: '2027-02-04T12:30' })
  @IsString()
  @Matches(DATE_TIME, { message: 'startsAt must be a date-time like 2027-02-04T12:30' })
  startsAt!: string;

  @ApiProperty({ example: 'Déjeuner' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;
}

export class SessionSpeakerDto {
  @ApiPropertyOptional({ description: 'Short biography (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  bio?: string;

  @ApiPropertyOptional({ description: 'Identifies the person across sessions; emails go there' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ enum: ['fr', 'en'], default: 'fr' })
  @IsOptional()
  @IsIn(['fr', 'en'])
  locale?: 'fr' | 'en';

  @ApiProperty({ example: 'Camille Martin' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  organisation?: string;
}

export class CreateSessionDto {
  @ApiPropertyOptional({ description: 'Summary shown on the programme (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  abstract?: string;

  @ApiPropertyOptional({
    example: ['2027-02-04', '2027-02-05-am'],
    description: 'Days or half-days (-am, -pm) the speakers can make; empty: any',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(14)
  @Matches(/^\d{4}-\d{2}-\d{2}(-(am|pm))?$/, { each: true })
  availability?: string[];

  @ApiPropertyOptional({ description: 'Seats; empty: the room capacity' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  capacity?: number | null;

  @ApiProperty({ example: 60 })
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(720)
  durationMinutes!: number;

  @ApiPropertyOptional({ description: 'The organisers’ estimate of how many will come' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  estimatedDemand?: number | null;

  @ApiProperty({ enum: SessionKind })
  @IsIn(Object.values(SessionKind))
  kind!: SessionKind;

  @ApiPropertyOptional({ enum: ['fr', 'en'], default: 'fr' })
  @IsOptional()
  @IsIn(['fr', 'en'])
  language?: 'fr' | 'en';

  @ApiPropertyOptional({ type: [SessionSpeakerDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SessionSpeakerDto)
  speakers?: SessionSpeakerDto[];

  @ApiPropertyOptional({ description: 'A theme of the call (id)' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  themeId?: string | null;

  @ApiProperty({ example: 'Table ronde du réseau' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title!: string;
}

export class UpdateSessionDto extends PartialType(CreateSessionDto) {
  @ApiProperty({ description: 'The version read; a stale one is refused (409 schedule.stale)' })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  version!: number;
}

/** Places a session (room and start), or takes it off the grid (both null). */
export class ScheduleSessionDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Save even if it breaks a hard constraint (it then shows as a conflict)',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;

  @ApiProperty({ nullable: true, description: 'The room (id); null to unschedule' })
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  roomId!: string | null;

  @ApiProperty({ nullable: true, example: '2027-02-04T10:30' })
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(DATE_TIME, { message: 'startsAt must be a date-time like 2027-02-04T10:30' })
  startsAt!: string | null;

  @ApiProperty({ description: 'The version read; a stale one is refused (409 schedule.stale)' })
  @Transform(toInt)
  @IsInt()
  @Min(1)
  version!: number;
}

export class PublishScheduleDto {
  @ApiProperty({ example: 'Programme v2 — after the round-table swap' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}

export class StartSchedulingDto {
  @ApiProperty({ enum: SCHEDULE_MODES })
  @IsIn(SCHEDULE_MODES)
  mode!: ScheduleMode;
}
