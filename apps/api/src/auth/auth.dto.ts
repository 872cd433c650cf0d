import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

const lower = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class LoginDto {
  @ApiProperty({ example: 'organisation@assises.localhost' })
  @Transform(lower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  /** Where to go after signing in (pages only; a local path). */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  next?: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

export class ResetRequestDto {
  @ApiProperty()
  @Transform(lower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;
}

export class ResetConfirmDto {
  @ApiProperty({ description: 'At least 10 characters' })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters long' })
  @MaxLength(200)
  password!: string;

  @ApiProperty({ description: 'The token from the emailed link' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token!: string;
}

export class NewPasswordDto {
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters long' })
  @MaxLength(200)
  password!: string;
}
