/**
 * Who is acting. A browser session acts with all of its account's memberships; an API token
 * acts only within its edition and role.
 */
export interface Actor {
  accountId: string;
  name: string;
  email: string;
  locale: string;
  isPlatformAdmin: boolean;
  /** Set when the request came with an API token. */
  token?: { id: string; editionId: string; role: string };
}
