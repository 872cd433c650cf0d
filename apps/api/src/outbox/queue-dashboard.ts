import { AuthService } from '@assises/accounts';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Queue } from 'bullmq';
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { SESSION_COOKIE } from '../http/request-context';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Bull Board at /admin/queues, for platform admins only (others: login page or 404). */
export function mountQueueDashboard(app: NestExpressApplication, queues: Queue[]): void {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
  });
  const auth = app.get(AuthService);
  const onlyAdmins = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const actor = await auth.actorForSession(
        (req.cookies as Record<string, string>)?.[SESSION_COOKIE],
      );
      if (!actor)
        return res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl)}`);
      if (!actor.isPlatformAdmin) return res.status(404).type('text/plain').send('Not found');
      next();
    } catch (error) {
      next(error);
    }
  };
  app.use(QUEUE_DASHBOARD_PATH, onlyAdmins, adapter.getRouter() as express.Router);
}
