import type { Actor } from '@assises/accounts';
import { ForbiddenError, UnauthorizedError } from '@assises/core';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppRequest } from './request-context';

/** The signed-in actor; a request without one is refused (401, or the login page for browsers). */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<AppRequest>();
  if (!req.actor) throw new UnauthorizedError('auth.required');
  return req.actor;
});

/** Refuses actors who are not platform admins (after authentication). */
export function requirePlatformAdmin(actor: Actor): void {
  if (!actor.isPlatformAdmin)
    throw new ForbiddenError('platform.admin_only', 'Platform admins only');
}
