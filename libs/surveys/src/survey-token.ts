import { createHmac } from 'node:crypto';

/**
 * The token of an invitation's private link, derived from the installation's secret: reminders
 * carry the same link without the token being stored anywhere (only its hash is, to check it).
 */
export function surveyToken(secret: string, invitationId: string): string {
  return createHmac('sha256', secret)
    .update(`survey-invitation:${invitationId}`)
    .digest('base64url');
}
