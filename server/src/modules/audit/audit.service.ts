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

/** Audit records of one action, newest first. */
/** How many audit entries record this action on this target (e.g. leader links opened). */
export async function countAudit(filter: { action: string; targetId: string }): Promise<number> {
  return AuditLogModel.countDocuments(filter)
}

export async function listAudit(filter: { action: string; targetId?: string; limit: number }) {
  const query = { action: filter.action, ...(filter.targetId ? { targetId: filter.targetId } : {}) }
  return AuditLogModel.find(query).sort({ at: -1 }).limit(filter.limit).lean<Array<AuditRecord & { details: Record<string, unknown> }>>()
}
