import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What a person may do in an edition. Ordered by reach: owner > organiser > reviewer, volunteer. */
export enum EditionRole {
  Owner = 'owner',
  Organiser = 'organiser',
  Reviewer = 'reviewer',
  Volunteer = 'volunteer',
}

export const EDITION_ROLES = Object.values(EditionRole);

/** One person's role in one edition. */
@Entity('memberships')
export class Membership {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('uuid')
  accountId!: string;

  @Column('text')
  role!: EditionRole;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
