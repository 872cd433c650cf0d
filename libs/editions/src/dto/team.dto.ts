import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { EditionRole } from '../membership.entity';

const ROLES = ['organiser', 'owner', 'reviewer', 'volunteer'];

export class InviteMemberDto {
  @ApiProperty({ example: 'camille@coworking-auvergne.fr' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ enum: ['fr', 'en'], description: 'Language of the invitation email' })
  @IsOptional()
  @IsIn(['fr', 'en'])
  locale?: 'fr' | 'en';

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: EditionRole;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: EditionRole;
}

export class AcceptInvitationDto {
  @ApiPropertyOptional({ description: 'Your name, when the invitation creates your account' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ description: 'Your password, when the invitation creates your account' })
  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password?: string;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Export to the network website' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  label!: string;

  @ApiProperty({ enum: ROLES, description: 'At most your own role in the edition' })
  @IsIn(ROLES)
  role!: EditionRole;
}
