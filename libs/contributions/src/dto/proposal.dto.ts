import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
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
import { toBoolean, toNumber } from './call-settings.dto';
import { StakeholderType, TerritoryType } from '../proposal-speaker.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A speaker as the contributor describes them. Fields in alphabetical order. */
export class ProposalSpeakerDto {
  @ApiPropertyOptional({ description: 'A few lines about the speaker (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(1500)
  bio?: string;

  @ApiPropertyOptional({ example: 'Aurillac, Cantal' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  cityOrRegion?: string;

  @ApiProperty({ example: 'camille@example.org' })
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Camille Martin' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @ApiPropertyOptional({ example: 'La Gare numérique' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  organisation?: string;

  @ApiPropertyOptional({ example: 'Fondatrice', description: 'Role in the organisation' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  role?: string;

  @ApiProperty({ enum: StakeholderType, description: 'Required, except in a draft' })
  @IsOptional()
  @IsEnum(StakeholderType)
  stakeholderType?: StakeholderType;

  @ApiProperty({ enum: TerritoryType, description: 'Required, except in a draft' })
  @IsOptional()
  @IsEnum(TerritoryType)
  territoryType?: TerritoryType;
}

/** A text a draft may leave out: required only when the proposal is submitted. */
const requiredUnlessDraft = (field: 'abstract' | 'language' | 'title') =>
  ValidateIf(
    (o: { draft?: boolean } & Record<string, unknown>) => !o.draft || o[field] !== undefined,
  );

/**
 * A proposal sent to an edition's call, without an account. The first speaker is the submitter,
 * who receives the private manage link. Fields in alphabetical order.
 */
export class SubmitProposalDto {
  @ApiProperty({ description: 'Short abstract for the programme (plain text)' })
  @requiredUnlessDraft('abstract')
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  abstract!: string;

  @ApiPropertyOptional({
    example: ['2027-03-10', '2027-03-11'],
    description: 'The event days (YYYY-MM-DD) the speakers can make',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(14)
  @Matches(/^\d{4}-\d{2}-\d{2}(-(am|pm))?$/, { each: true })
  availability?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { transport: 'train', pitch: 'Trois minutes pour convaincre' },
    description:
      "Answers to the call's custom questions, by question key: text, number, true/false, an option key, or a list of option keys",
  })
  @IsOptional()
  @IsObject()
  answers?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The full description for reviewers (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({
    description:
      "Save as a draft: only the format and the submitter's name and email are required; finish with POST /api/v1/proposals/:id/submit",
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  draft?: boolean;

  @ApiPropertyOptional({ example: 40, description: 'How many people the speakers expect' })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(5000)
  expectedAudience?: number;

  @ApiProperty({ description: 'One of the call formats (id)' })
  @IsUUID()
  formatId!: string;

  @ApiProperty({ enum: ['fr', 'en'], description: 'The language the session would be held in' })
  @requiredUnlessDraft('language')
  @IsIn(['fr', 'en'])
  language!: 'fr' | 'en';

  @ApiPropertyOptional({ enum: ['fr', 'en'], description: 'The language of the emails' })
  @IsOptional()
  @IsIn(['fr', 'en'])
  locale?: 'fr' | 'en';

  @ApiPropertyOptional({ description: 'Room set-up, accessibility, equipment (plain text)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  needs?: string;

  @ApiProperty({ type: [ProposalSpeakerDto], description: 'The submitter first, then co-speakers' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => ProposalSpeakerDto)
  speakers!: ProposalSpeakerDto[];

  @ApiPropertyOptional({ description: 'One of the call themes (id)' })
  @IsOptional()
  @IsUUID()
  themeId?: string;

  @ApiProperty({ example: 'Un tiers-lieu dans une ancienne gare' })
  @requiredUnlessDraft('title')
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;
}

/**
 * What the holder of the manage link may change until the deadline. Speakers are replaced only
 * on a draft; a submitted proposal gains co-speakers through POST /api/v1/proposals/:id/speakers.
 */
export class UpdateProposalDto extends PartialType(
  PickType(SubmitProposalDto, [
    'abstract',
    'answers',
    'availability',
    'description',
    'expectedAudience',
    'formatId',
    'language',
    'needs',
    'speakers',
    'themeId',
    'title',
  ] as const),
) {}
