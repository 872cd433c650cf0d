import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
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
  ValidateNested,
} from 'class-validator';
import { STAKEHOLDER_TYPES } from '../survey-audience.port';
import { SURVEY_QUESTION_KINDS, SurveyQuestionKind } from '../survey-question.entity';

/** A date-time: ISO 8601 with an offset (an instant), or local (`2027-02-04T09:00`) in the edition's timezone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Page forms send strings: "true"/"on" and "false" become booleans, digits numbers. */
const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === 'on' || value === '1'
    ? true
    : value === 'false' || value === '0'
      ? false
      : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
const toIntList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((v) => (/^\d+$/.test(v) ? Number(v) : v))
    : value;

/** The survey's settings. Fields in alphabetical order. */
export class UpdateSurveyDto {
  @ApiPropertyOptional({
    description: 'Invitees may change their answers until closing (not with anonymous)',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  allowChanges?: boolean;

  @ApiPropertyOptional({ description: 'Answers stored without any link to the person' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  anonymous?: boolean;

  @ApiPropertyOptional({
    example: '2027-03-11T23:59',
    description: 'Local time in the edition timezone, or ISO with offset',
  })
  @IsOptional()
  @IsString()
  @Matches(DATE_TIME, { message: 'closesAt must be a date-time like 2027-03-11T23:59' })
  closesAt?: string;

  @ApiPropertyOptional({ description: 'Introduction shown above the questions (English)' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  introEn?: string;

  @ApiPropertyOptional({ description: 'Introduction shown above the questions (French)' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  introFr?: string;

  @ApiPropertyOptional({
    example: 15,
    description: 'Hours after the end of the edition before invitations go',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(720)
  invitationDelayHours?: number;

  @ApiPropertyOptional({ example: 2, description: 'Most reminders per invitee' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  maxReminders?: number;

  @ApiPropertyOptional({ example: '2027-02-12T09:00' })
  @IsOptional()
  @IsString()
  @Matches(DATE_TIME, { message: 'opensAt must be a date-time like 2027-02-12T09:00' })
  opensAt?: string;

  @ApiPropertyOptional({
    example: [5, 12],
    description: 'Days after the invitation at which non-respondents are reminded',
  })
  @IsOptional()
  @Transform(toIntList)
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(90, { each: true })
  reminderDays?: number[];
}

export class SurveySectionDto {
  @ApiProperty({ example: 'Votre journée' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  titleFr!: string;

  @ApiProperty({ example: 'Your day' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  titleEn!: string;
}

export class SurveyOptionDto {
  @ApiProperty({ example: 'newsletter' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,39}$/, {
    message: 'key must be lowercase letters, digits, - or _',
  })
  key!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  fr!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  en!: string;
}

/** A question, created or replaced whole. Fields in alphabetical order. */
export class SurveyQuestionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  helpEn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  helpFr?: string;

  @ApiPropertyOptional({
    description: 'Stable key of the answer; made from the position when absent',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,39}$/, {
    message: 'key must be lowercase letters, digits, - or _',
  })
  key?: string;

  @ApiProperty({ enum: SURVEY_QUESTION_KINDS })
  @IsIn(SURVEY_QUESTION_KINDS)
  kind!: SurveyQuestionKind;

  @ApiProperty({ example: 'How satisfied are you?' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  labelEn!: string;

  @ApiProperty({ example: 'Êtes-vous satisfait·e ?' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  labelFr!: string;

  @ApiPropertyOptional({
    type: [SurveyOptionDto],
    description: 'Choices (single and multiple choice)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => SurveyOptionDto)
  options?: SurveyOptionDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  required?: boolean;

  @ApiProperty({ description: 'The section it belongs to' })
  @IsUUID()
  sectionId!: string;

  @ApiPropertyOptional({
    enum: STAKEHOLDER_TYPES,
    isArray: true,
    description: 'Asked only of these; empty: everyone',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsArray()
  @IsIn(STAKEHOLDER_TYPES, { each: true })
  stakeholderTypes?: string[];
}

export class MoveDto {
  @ApiProperty({ enum: ['up', 'down'] })
  @IsIn(['up', 'down'])
  direction!: 'up' | 'down';
}
