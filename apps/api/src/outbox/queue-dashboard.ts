import { AuthService } from '@assises/accounts';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Queue } from 'bullmq';
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { SESSION_COOKIE } from '../http/request-context';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Bull Board at /admin/queues, for platform admins only (others: login page or 404). */
export function mountQueueDashboard(app: NestExpressApplication, queues: Queue[]): void {
  // Bull Board is loaded on an admin's first visit, not in every api process at boot.
  let board: Promise<express.Router> | undefined;
  const loadBoard = async (): Promise<express.Router> => {
    const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/express'),
    ]);
    const adapter = new ExpressAdapter();
    adapter.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      queues: queues.map((queue) => new BullMQAdapter(queue)),
      serverAdapter: adapter,
    });
    return adapter.getRouter() as express.Router;
  };
  const dashboard = (req: Request, res: Response, next: NextFunction) => {
    // A failed load (a missing optional file, say) is tried again on the next visit.
    board ??= loadBoard().catch((error: unknown) => {
      board = undefined;
      throw error;
    });
    board.then((router) => router(req, res, next), next);
  };
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
  app.use(QUEUE_DASHBOARD_PATH, onlyAdmins, dashboard);
}
