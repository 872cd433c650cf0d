import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Account } from './account.entity';
import { AccountService } from './account.service';
import { ApiToken } from './api-token.entity';
import { ApiTokenService } from './api-token.service';
import { AuthService } from './auth.service';
import { PasswordHasher } from './password-hasher';
import { PasswordReset } from './password-reset.entity';
import { PasswordResetService } from './password-reset.service';
import { Session } from './session.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Account, ApiToken, PasswordReset, Session])],
  providers: [AccountService, ApiTokenService, AuthService, PasswordHasher, PasswordResetService],
  exports: [AccountService, ApiTokenService, AuthService, PasswordHasher, PasswordResetService],
})
export class AccountsModule {}
