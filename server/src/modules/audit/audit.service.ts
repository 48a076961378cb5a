import type { Types } from 'mongoose'
import { AuditLogModel } from './audit-log.model'

export interface AuditRecord {
  actorId: string | Types.ObjectId | null
  action: string
  targetType: string
  targetId: string
  outcome: string
  details?: Record<string, unknown>
  at: Date
}

/** Appends an audit record. Unlike analytics, a failure here fails the caller: audits must exist. */
export async function recordAudit(record: AuditRecord): Promise<void> {
  await AuditLogModel.create({ ...record, details: record.details ?? {} })
}
