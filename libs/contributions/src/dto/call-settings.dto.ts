import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
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
import { QuestionKind } from '../call-question.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** A checkbox or a JSON boolean: `on`, `true`, `1` are true; `false`, `0`, `off` false. */
export const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (['on', 'true', '1', 'yes'].includes(value)) return true;
    if (['off', 'false', '0', 'no'].includes(value)) return false;
  }
  return value;
};
/** A number typed in a form arrives as text. */
export const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;

const KEY = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A format of the call (atelier, table ronde…). Fields in alphabetical order. */
export class CreateFormatDto {
  @ApiPropertyOptional({
    example: '2027-01-05T23:59',
    nullable: true,
    description:
      'Own deadline (local time in the edition timezone, or ISO with offset); null: the call closing',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(DATE_TIME, { message: 'deadline must be a date-time like 2027-01-05T23:59' })
  deadline?: string | null;

  @ApiProperty({ example: 90, description: 'Default duration in minutes' })
  @Transform(toNumber)
  @IsInt()
  @Min(5)
  @Max(600)
  defaultDurationMinutes!: number;

  @ApiProperty({ example: 'atelier', description: 'Stable identifier (a-z, 0-9, - and _)' })
  @Transform(trim)
  @IsString()
  @Matches(KEY, { message: 'key must be lower-case letters, digits, - or _ (40 at most)' })
  key!: string;

  @ApiProperty({ example: 4 })
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(20)
  maxSpeakers!: number;

  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(20)
  minSpeakers?: number;

  @ApiProperty({ example: 'Workshop' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  nameEn!: string;

  @ApiProperty({ example: 'Atelier' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  nameFr!: string;
}

export class UpdateFormatDto extends PartialType(CreateFormatDto) {}

/** A theme (track) of the call. Fields in alphabetical order. */
export class CreateThemeDto {
  @ApiPropertyOptional({ description: 'What the theme covers (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({ example: 'Rural areas' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  nameEn!: string;

  @ApiProperty({ example: 'Ruralités' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  nameFr!: string;

  @ApiPropertyOptional({ example: 0 })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(1000)
  position?: number;
}

export class UpdateThemeDto extends PartialType(CreateThemeDto) {}

/** One choice of a choice question. */
export class QuestionOptionDto {
  @ApiProperty({ example: 'train' })
  @Transform(trim)
  @IsString()
  @Matches(KEY, { message: 'key must be lower-case letters, digits, - or _ (40 at most)' })
  key!: string;

  @ApiProperty({ example: 'Train' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  en!: string;

  @ApiProperty({ example: 'Train' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  fr!: string;
}

/** A custom question of the call. Fields in alphabetical order. */
export class CreateQuestionDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Limited to these format keys; empty or absent: every format',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(KEY, { each: true })
  formatKeys?: string[];

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

  @ApiProperty({ example: 'transport' })
  @Transform(trim)
  @IsString()
  @Matches(KEY, { message: 'key must be lower-case letters, digits, - or _ (40 at most)' })
  key!: string;

  @ApiProperty({ enum: QuestionKind })
  @IsEnum(QuestionKind)
  kind!: QuestionKind;

  @ApiProperty({ example: 'How will you travel?' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  labelEn!: string;

  @ApiProperty({ example: 'Comment viendrez-vous ?' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  labelFr!: string;

  @ApiPropertyOptional({ enum: ['chars', 'words'], description: 'Unit of min/maxLength' })
  @IsOptional()
  @IsIn(['chars', 'words'])
  lengthUnit?: 'chars' | 'words';

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(10000)
  maxLength?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Transform(toNumber)
  @IsNumber()
  maxValue?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(10000)
  minLength?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Transform(toNumber)
  @IsNumber()
  minValue?: number | null;

  @ApiPropertyOptional({ type: [QuestionOptionDto], description: 'Needed by choice kinds' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QuestionOptionDto)
  options?: QuestionOptionDto[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  required?: boolean;
}

export class UpdateQuestionDto extends PartialType(CreateQuestionDto) {}

/** The questions in their new order (every question of the call, by id). */
export class ReorderQuestionsDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  ids!: string[];
}
