import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A review criterion as organisers define it. Fields in alphabetical order. */
export class CreateCriterionDto {
  @ApiPropertyOptional({ description: 'What reviewers should look at (English)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Transform(trim)
  descriptionEn?: string;

  @ApiPropertyOptional({ description: 'What reviewers should look at (French)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Transform(trim)
  descriptionFr?: string;

  @ApiProperty({
    example: 'impact',
    description: 'Stable identifier, the key of review scores; lower-case letters, digits, - or _',
  })
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]{0,39}$/, {
    message: 'key must start with a letter and hold only a-z, 0-9, - or _ (40 at most)',
  })
  key!: string;

  @ApiProperty({ example: 'Impact' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Transform(trim)
  nameEn!: string;

  @ApiProperty({ example: 'Impact' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Transform(trim)
  nameFr!: string;

  @ApiPropertyOptional({ example: 2, description: 'Order on the review form' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  position?: number;

  @ApiProperty({ example: 1, description: 'Weight in the mean (0.1 to 100)' })
  @Type(() => Number)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.1)
  @Max(100)
  weight!: number;
}

/** Changes to a criterion; its key never changes (reviews' scores refer to it). */
export class UpdateCriterionDto extends PartialType(OmitType(CreateCriterionDto, ['key'])) {}

/**
 * A reviewer's review: a score from 0 to 5 for every criterion of the edition, or null to
 * abstain on it; and a comment for the organisers and the other reviewers.
 */
export class SaveReviewDto {
  @ApiPropertyOptional({ description: 'Plain text, seen by organisers and other reviewers' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  comment?: string;

  @ApiProperty({
    example: { fit: 4, originality: 3, diversity: null, feasibility: 5 },
    description: 'criterion key → whole score 0..5, or null to abstain; every criterion required',
  })
  @IsObject()
  scores!: Record<string, unknown>;
}

/** An organiser gives a proposal to a reviewer. */
export class AssignReviewerDto {
  @ApiProperty({ description: 'Account id of a reviewer, organiser or owner of the edition' })
  @IsUUID()
  reviewerId!: string;
}

/** A team member's organisation, so nobody reviews their own organisation's proposals. */
export class SetOrganisationDto {
  @ApiProperty({ example: 'La Cordée', description: 'Empty: none' })
  @IsString()
  @MaxLength(200)
  @Transform(trim)
  organisation!: string;
}
