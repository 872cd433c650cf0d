import { Actor } from '@assises/accounts';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Edition, EditionPermission, EditionService } from '@assises/editions';
import { JobProducer } from '@assises/queue';
import { Injectable, Logger } from '@nestjs/common';
import { ScheduleMode, scheduleSteps } from './core/scheduler';
import { ProgrammeLoader } from './programme-loader';
import {
  SchedulingRunNotFoundError,
  SchedulingRunNotReadyError,
  StaleScheduleError,
} from './programme.errors';
import { ProgrammeSession } from './programme-session.entity';
import { SchedulingRun, SchedulingRunResult, SchedulingRunStatus } from './scheduling-run.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The automatic scheduler as a job: the organiser starts a run, the worker computes it with
 * visible progress, the organiser reviews the proposal (placements, what could not be placed and
 * why) and applies it, unless someone changed a session meanwhile.
 */
@Injectable()
export class SchedulingService {
  private readonly logger = new Logger(SchedulingService.name);

  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly editions: EditionService,
    private readonly loader: ProgrammeLoader,
    private readonly producer: JobProducer,
  ) {}

  async start(actor: Actor, slug: string, mode: ScheduleMode): Promise<SchedulingRun> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const run = await this.db.run(async (em) => {
      const saved = await em.save(
        em.create(SchedulingRun, { editionId: edition.id, mode, requestedById: actor.accountId }),
      );
      await this.audit.record(em, {
        subjectType: 'scheduling_run',
        subjectId: saved.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'start',
        data: { mode },
      });
      return saved;
    });
    await this.producer.enqueue('schedule-programme', [
      { jobId: run.id, payload: { runId: run.id } },
    ]);
    return run;
  }

  /**
   * Re-enqueues the runs still `queued` a minute after they were started: their job never
   * reached Redis (down at the time) or Redis lost it. The job id is the run id, so a run whose
   * job is still waiting is not queued twice, and `compute` ignores a run already taken.
   */
  async requeueStale(): Promise<number> {
    const rows = await this.db.manager.query<{ id: string }[]>(
      `SELECT id FROM scheduling_runs
        WHERE status = 'queued' AND created_at < now() - interval '1 minute'
        ORDER BY created_at LIMIT 500`,
    );
    return this.producer.enqueue(
      'schedule-programme',
      rows.map((row) => ({ jobId: row.id, payload: { runId: row.id } })),
    );
  }

  /** The edition's latest run, for the schedule editor. */
  async latest(actor: Actor, slug: string): Promise<SchedulingRun | null> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    return this.db.manager.findOne(SchedulingRun, {
      where: { editionId: edition.id },
      order: { createdAt: 'DESC' },
    });
  }

  async get(actor: Actor, slug: string, id: string): Promise<SchedulingRun> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    return this.runOf(edition.id, id);
  }

  /**
   * Computes a run (the worker's job). Progress goes to the row as the solver advances; a run
   * already finished is left alone, so a re-delivered job changes nothing.
   */
  async compute(runId: string): Promise<void> {
    // An UPDATE … RETURNING resolves to [rows, affected count].
    const [claimedRows] = await this.db.manager.query<
      [{ edition_id: string; mode: ScheduleMode }[], number]
    >(
      `UPDATE scheduling_runs SET status = 'running', progress = 0, updated_at = now()
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING edition_id, mode`,
      [runId],
    );
    const claimed = claimedRows[0];
    if (!claimed) return;
    try {
      const edition = await this.db.manager.findOneOrFail(Edition, {
        where: { id: claimed.edition_id },
      });
      const rows = await this.loader.rows(this.db.manager, edition);
      const model = await this.loader.model(this.db.manager, rows);
      const steps = scheduleSteps(model, { mode: claimed.mode });
      let reported = 0;
      let step = steps.next();
      while (!step.done) {
        const percent = Math.min(99, Math.floor(step.value * 100));
        if (percent > reported) {
          reported = percent;
          await this.db.manager.query(
            'UPDATE scheduling_runs SET progress = $2, updated_at = now() WHERE id = $1',
            [runId, percent],
          );
        }
        step = steps.next();
      }
      const versions = new Map(rows.sessions.map((s) => [s.id, s.version]));
      const result: SchedulingRunResult = {
        placements: step.value.placements.map((p) => ({
          sessionId: p.sessionId,
          roomId: p.roomId,
          startsAt: new Date(p.start).toISOString(),
          version: versions.get(p.sessionId)!,
        })),
        unplaced: step.value.unplaced.map((u) => ({ ...u, version: versions.get(u.sessionId)! })),
        cost: step.value.cost,
      };
      await this.db.manager.query(
        `UPDATE scheduling_runs SET status = 'done', progress = 100, result = $2, updated_at = now()
         WHERE id = $1`,
        [runId, JSON.stringify(result)],
      );
    } catch (error) {
      this.logger.error(`scheduling run ${runId} failed: ${(error as Error).message}`);
      await this.db.manager.query(
        `UPDATE scheduling_runs SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`,
        [runId, (error as Error).message.slice(0, 1000)],
      );
    }
  }

  /**
   * Applies a finished run to the working schedule in one transaction: sessions it moved get
   * their new place; in modes that reschedule everything, sessions it could not place go back
   * to the unscheduled list. Refused (409) if any of these sessions changed since the run read it.
   */
  async apply(actor: Actor, slug: string, id: string): Promise<{ changed: number }> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      await em.query('SELECT id FROM editions WHERE id = $1 FOR UPDATE', [edition.id]);
      const run = await this.runOf(edition.id, id);
      if (run.status !== SchedulingRunStatus.Done || !run.result)
        throw new SchedulingRunNotReadyError(run.status);
      const sessions = await em.find(ProgrammeSession, { where: { editionId: edition.id } });
      const byId = new Map(sessions.map((s) => [s.id, s]));
      let changed = 0;
      const unplace =
        run.mode === 'unscheduled' ? [] : run.result.unplaced.filter((u) => byId.get(u.sessionId));
      for (const item of [...run.result.placements, ...unplace]) {
        const session = byId.get(item.sessionId);
        if (!session || session.version !== item.version) throw new StaleScheduleError();
      }
      for (const placement of run.result.placements) {
        const session = byId.get(placement.sessionId)!;
        if (
          session.roomId === placement.roomId &&
          session.startsAt?.toISOString() === placement.startsAt
        )
          continue;
        await em.update(
          ProgrammeSession,
          { id: session.id },
          {
            roomId: placement.roomId,
            startsAt: new Date(placement.startsAt),
            version: () => 'version + 1',
          },
        );
        changed += 1;
      }
      for (const item of unplace) {
        if (!byId.get(item.sessionId)!.roomId) continue;
        await em.update(
          ProgrammeSession,
          { id: item.sessionId },
          { roomId: null, startsAt: null, version: () => 'version + 1' },
        );
        changed += 1;
      }
      await em.update(SchedulingRun, { id }, { status: SchedulingRunStatus.Applied });
      await this.audit.record(em, {
        subjectType: 'scheduling_run',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'apply',
        from: SchedulingRunStatus.Done,
        to: SchedulingRunStatus.Applied,
        data: { changed },
      });
      return { changed };
    });
  }

  private async runOf(editionId: string, id: string): Promise<SchedulingRun> {
    if (!UUID.test(id)) throw new SchedulingRunNotFoundError();
    const run = await this.db.manager.findOne(SchedulingRun, { where: { id, editionId } });
    if (!run) throw new SchedulingRunNotFoundError();
    return run;
  }
}
