/** Queues are nouns. */
export enum QueueName {
  Mail = 'mail',
  Programme = 'programme',
}

/**
 * Every job, by name (verb-noun), with its payload. Payloads carry ids only: the database holds
 * the truth, so a job re-run after a crash reads the current state.
 */
export interface JobPayloads {
  'send-mail': { outboxId: string };
  'sweep-outbox': Record<string, never>;
  /** Survey invitations and reminders that are due. */
  'sweep-surveys': Record<string, never>;
  /** Runs the automatic scheduler for one stored run (its mode and edition are in the row). */
  'schedule-programme': { runId: string };
  /** Re-enqueues scheduling runs left `queued` (Redis was down when they were started). */
  'sweep-scheduling-runs': Record<string, never>;
}

export type JobName = keyof JobPayloads;
export type JobPayload<N extends JobName> = JobPayloads[N];

/** Which queue carries which job. */
export const JOB_QUEUES: { [N in JobName]: QueueName } = {
  'send-mail': QueueName.Mail,
  'sweep-outbox': QueueName.Mail,
  'sweep-surveys': QueueName.Mail,
  'schedule-programme': QueueName.Programme,
  'sweep-scheduling-runs': QueueName.Programme,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Thrown for a payload that can never be processed: the worker fails it without retrying. */
export class InvalidJobPayloadError extends Error {}

/** Payload checks at the worker's edge (a job may come from an older or foreign producer). */
export function assertPayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  const value = (data ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'send-mail':
      if (typeof value.outboxId !== 'string' || !UUID.test(value.outboxId)) {
        throw new InvalidJobPayloadError(`send-mail: outboxId must be a uuid`);
      }
      return { outboxId: value.outboxId } as JobPayload<N>;
    case 'sweep-outbox':
    case 'sweep-surveys':
    case 'sweep-scheduling-runs':
      return {} as JobPayload<N>;
    case 'schedule-programme':
      if (typeof value.runId !== 'string' || !UUID.test(value.runId)) {
        throw new InvalidJobPayloadError(`schedule-programme: runId must be a uuid`);
      }
      return { runId: value.runId } as JobPayload<N>;
    default:
      throw new InvalidJobPayloadError(`unknown job ${String(name)}`);
  }
}
