import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  subjectType: string;
  subjectId: string;
  editionId?: string | null;
  actorId?: string | null;
  action: string;
  from?: string | null;
  to?: string | null;
  data?: Record<string, unknown>;
}

/** Writes audit rows inside the caller's transaction, so history and change commit together. */
@Injectable()
export class AuditLog {
  async record(em: EntityManager, entry: AuditEntry): Promise<void> {
    await em.insert(AuditEvent, {
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      editionId: entry.editionId ?? null,
      actorId: entry.actorId ?? null,
      action: entry.action,
      fromState: entry.from ?? null,
      toState: entry.to ?? null,
      data: entry.data ?? {},
    } as QueryDeepPartialEntity<AuditEvent>);
  }

  history(em: EntityManager, subjectType: string, subjectId: string): Promise<AuditEvent[]> {
    return em.find(AuditEvent, {
      where: { subjectType, subjectId },
      order: { createdAt: 'DESC' },
    });
  }
}
