import { Account, AccountService, MIN_PASSWORD_LENGTH, PasswordHasher } from '@assises/accounts';
import type { AppConfig } from '@assises/config';
import { AuditLog } from '@assises/database';
import { isEmail } from 'class-validator';
import { assertKnownFlags, ParsedArgs, stringFlag } from '../args';
import { CliError } from '../cli-error';
import { readNewPassword } from '../password-input';
import { withDataSource } from '../with-data-source';

const USAGE =
  'Usage: npm run admin:create -- --email someone@example.org --name "Jo Martin" [--password …]';

/**
 * `admin:create`: makes a platform admin, or promotes an existing account. The password comes from
 * --password, the first line of piped stdin, or a hidden prompt.
 */
export async function adminCreateCommand(config: AppConfig, args: ParsedArgs): Promise<number> {
  assertKnownFlags(args, ['email', 'name', 'password']);
  const email = stringFlag(args, 'email')?.trim().toLowerCase();
  const name = stringFlag(args, 'name')?.trim();
  const givenPassword = stringFlag(args, 'password');
  if (!email) throw new CliError(`--email is required.\n${USAGE}`);
  if (!isEmail(email)) throw new CliError(`"${email}" is not an email address.`);
  if (givenPassword !== undefined) assertStrong(givenPassword);

  return withDataSource(config, async (dataSource) => {
    if (await dataSource.showMigrations()) {
      throw new CliError('Some migrations have not run: run `npm run migration:run` first.');
    }
    const accounts = new AccountService(dataSource, new PasswordHasher());
    const audit = new AuditLog();
    const existing = await accounts.findByEmail(email);

    if (existing) {
      if (givenPassword !== undefined) {
        console.log(
          '--password ignored: the account exists; change a password with "Forgot password".',
        );
      }
      if (existing.isPlatformAdmin) {
        console.log(`${existing.email} is already a platform admin.`);
        return 0;
      }
      await dataSource.transaction(async (em) => {
        await em.update(Account, { id: existing.id }, { isPlatformAdmin: true });
        await audit.record(em, {
          subjectType: 'account',
          subjectId: existing.id,
          action: 'grant_platform_admin',
        });
      });
      console.log(`${existing.email} (${existing.name}) is now a platform admin.`);
      return 0;
    }

    if (!name)
      throw new CliError(`No account uses ${email} yet: give its --name to create it.\n${USAGE}`);
    const password = givenPassword ?? (await readNewPassword());
    assertStrong(password);
    const created = await dataSource.transaction(async (em) => {
      const account = await accounts.create({ email, name, password, isPlatformAdmin: true }, em);
      await audit.record(em, {
        subjectType: 'account',
        subjectId: account.id,
        action: 'grant_platform_admin',
      });
      return account;
    });
    console.log(`Created platform admin ${created.email} (${created.name}).`);
    return 0;
  });
}

function assertStrong(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new CliError(`Password too weak: use at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
}
