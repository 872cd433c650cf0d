import { EditionRole } from './membership.entity';

/** What a role lets one do in an edition. Later issues add their permissions here. */
export enum EditionPermission {
  CheckIn = 'check_in',
  Edit = 'edit',
  ManageTeam = 'manage_team',
  Review = 'review',
  View = 'view',
}

const P = EditionPermission;
export const ROLE_PERMISSIONS: Record<EditionRole, readonly EditionPermission[]> = {
  [EditionRole.Owner]: [P.CheckIn, P.Edit, P.ManageTeam, P.Review, P.View],
  [EditionRole.Organiser]: [P.CheckIn, P.Edit, P.ManageTeam, P.Review, P.View],
  [EditionRole.Reviewer]: [P.Review, P.View],
  [EditionRole.Volunteer]: [P.CheckIn, P.View],
};

export function roleAllows(role: EditionRole, permission: EditionPermission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * True when `inner` reaches nothing that `outer` does not (a token, an invitation within its
 * author's role). Owner shares its permissions with organiser but outranks it: only an owner
 * grants (or takes away) ownership.
 */
export function roleWithin(inner: EditionRole, outer: EditionRole): boolean {
  if (inner === EditionRole.Owner && outer !== EditionRole.Owner) return false;
  return ROLE_PERMISSIONS[inner].every((permission) =>
    ROLE_PERMISSIONS[outer].includes(permission),
  );
}
