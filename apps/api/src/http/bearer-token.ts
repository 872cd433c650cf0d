/**
 * The emailed token of a public resource (a proposal's manage link, a registration's, a survey
 * invitation's, a decision's confirmation) from `Authorization: Bearer`. It is not an API token:
 * those start with `asst_` and the actor middleware reads them; anything else is left here.
 */
export function bearerToken(authorization: string | undefined): string | null {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? null;
}
