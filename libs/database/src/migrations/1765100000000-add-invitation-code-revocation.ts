import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisers revoke an invitation code that leaked or is no longer wanted: a revoked code opens
 * nothing any more (the registration's atomic use of the code checks it), and the list keeps it
 * with its uses and the time it was revoked.
 */
export class AddInvitationCodeRevocation1765100000000 implements MigrationInterface {
  name = 'AddInvitationCodeRevocation1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invitation_codes ADD COLUMN revoked_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invitation_codes DROP COLUMN revoked_at');
  }
}
