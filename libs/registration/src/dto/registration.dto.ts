import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { WaitlistMode } from '../registration-settings.entity';
import { StakeholderType, TerritoryType } from '../registration.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Checkboxes arrive as "on"/"true" from forms and as booleans from JSON. */
const bool = ({ value }: { value: unknown }) =>
  value === true || value === 'true' || value === 'on' || value === '1'
    ? true
    : value === false || value === 'false' || value === '0'
      ? false
      : value;

/** A person registering to an edition. Fields in alphabetical order. */
export class RegisterDto {
  @ApiPropertyOptional({ description: 'Access needs the organisers should plan for' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  accessibilityNeeds?: string;

  @ApiPropertyOptional({ description: 'Answers to the custom questions, by question key' })
  @IsOptional()
  @IsObject()
  answers?: Record<string, string>;

  @ApiPropertyOptional({ description: 'A ticket category (key); default participant' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(60)
  category?: string;

  @ApiPropertyOptional({ example: 'Aurillac, Cantal' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  cityOrRegion?: string;

  @ApiPropertyOptional({ description: 'Diet (vegetarian, allergies…)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  dietaryNeeds?: string;

  @ApiProperty({ example: 'camille@example.org' })
  @Transform(trim)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ description: 'How they heard of the event' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  heardFrom?: string;

  @ApiPropertyOptional({ description: 'An invitation code (opens a hidden category)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(60)
  invitationCode?: string;

  @ApiPropertyOptional({ enum: ['fr', 'en'], description: 'The language of the emails' })
  @IsOptional()
  @IsIn(['fr', 'en'])
  locale?: 'fr' | 'en';

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

  @ApiProperty({ description: 'Consent to the privacy notice (required, must be true)' })
  @Transform(bool)
  @IsBoolean()
  @IsIn([true], { message: 'privacyConsent must be given' })
  privacyConsent!: boolean;

  @ApiPropertyOptional({ description: 'Appear in the public participant list' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  publicListing?: boolean;

  @ApiPropertyOptional({ example: 'Fondatrice', description: 'Role in the organisation' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(120)
  role?: string;

  @ApiProperty({ enum: StakeholderType })
  @IsEnum(StakeholderType)
  stakeholderType!: StakeholderType;

  @ApiProperty({ enum: TerritoryType })
  @IsEnum(TerritoryType)
  territoryType!: TerritoryType;
}

/** What the holder of the manage link may change (not the address, not the category). */
export class UpdateRegistrationDto extends PartialType(
  PickType(RegisterDto, [
    'accessibilityNeeds',
    'answers',
    'cityOrRegion',
    'dietaryNeeds',
    'heardFrom',
    'locale',
    'name',
    'organisation',
    'publicListing',
    'role',
    'stakeholderType',
    'territoryType',
  ] as const),
) {}

/** A ticket category as organisers set it. */
export class TicketCategoryDto {
  @ApiPropertyOptional({ description: 'Reachable only with an invitation code' })
  @IsOptional()
  @IsBoolean()
  hidden?: boolean;

  @ApiProperty({ example: 'press' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/)
  key!: string;

  @ApiProperty({ example: 'Press' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  nameEn!: string;

  @ApiProperty({ example: 'Presse' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  nameFr!: string;

  @ApiPropertyOptional({ description: 'Seats reserved at most for this category; none: no quota' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  quota?: number | null;
}

export class RegistrationQuestionDto {
  @Matches(/^[a-z0-9][a-z0-9_-]{0,39}$/)
  key!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  labelEn!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  labelFr!: string;

  @IsOptional()
  @IsBoolean()
  required?: boolean;
}

/** An edition's registration settings. Dates without an offset are in the edition's timezone. */
export class RegistrationSettingsDto {
  @ApiPropertyOptional({ description: 'Seats; omitted or null: the edition capacity' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  capacity?: number | null;

  @ApiPropertyOptional({
    type: [TicketCategoryDto],
    description: 'Replaces the categories (by key)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TicketCategoryDto)
  categories?: TicketCategoryDto[];

  @ApiProperty({ example: '2027-02-28T23:59' })
  @IsString()
  @MaxLength(40)
  closesAt!: string;

  @ApiPropertyOptional({ example: 48 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  offerHours?: number;

  @ApiProperty({ example: '2026-12-01T09:00' })
  @IsString()
  @MaxLength(40)
  opensAt!: string;

  @ApiPropertyOptional({ example: '2026-11' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  privacyNoticeVersion?: string;

  @ApiPropertyOptional({ type: [RegistrationQuestionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RegistrationQuestionDto)
  questions?: RegistrationQuestionDto[];

  @ApiPropertyOptional({ example: [7, 1], description: 'Days before the event' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(60, { each: true })
  reminderDays?: number[];

  @ApiPropertyOptional({ enum: WaitlistMode })
  @IsOptional()
  @IsEnum(WaitlistMode)
  waitlistMode?: WaitlistMode;
}

export class CreateInvitationCodeDto {
  @ApiProperty({ example: 'press', description: 'The category the code opens (key)' })
  @Transform(trim)
  @IsString()
  @MaxLength(40)
  category!: string;

  @ApiPropertyOptional({ description: 'A chosen code; default: a random one' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  )
  @Matches(/^[A-Z0-9-]{4,40}$/)
  code?: string;

  @ApiPropertyOptional({ example: 1, description: '1: single use' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  maxUses?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

/** An organiser's change to a registration. */
export class AdminUpdateRegistrationDto extends UpdateRegistrationDto {
  @ApiPropertyOptional({ description: 'Move to another category (key); takes one of its seats' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(40)
  category?: string;
}

export class CheckInDto {
  @ApiProperty({ description: 'The check-in code (from the QR code or typed)' })
  @Transform(trim)
  @IsString()
  @MinLength(4)
  @MaxLength(40)
  code!: string;
}
