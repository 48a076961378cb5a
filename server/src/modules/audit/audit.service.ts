import { Types } from 'mongoose'
import type { AuditQuery } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import { actingOperator } from '../../core/acting-operator'
import { AuditLogModel } from './audit-log.model'

export interface AuditRecord {
  actorId: string | Types.ObjectId | null
  /** The console operator who acted (actorId is then null). */
  operator?: { id: string; username: string } | null
  action: string
  targetType: string
  targetId: string
  outcome: string
  details?: Record<string, unknown>
  at: Date
}

/** Appends an audit record. Unlike analytics, a failure here fails the caller: audits must exist. */
export async function recordAudit(record: AuditRecord): Promise<void> {
  // Inside a console request the operator is known: name them, whatever the caller passed.
  const operator = record.operator ?? actingOperator()
  await AuditLogModel.create({ ...record, ...(operator ? { operator, actorId: null } : {}), details: record.details ?? {} })
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

/**
 * The audit trail for operators, newest first, filtered by actor (operator username or user id),
 * action (exact, or a prefix ending in `.`), target and time; paged by a cursor (`at` and `_id` of
 * the last row), so a page never skips or repeats a row however many are written meanwhile.
 */
export type AuditRow = AuditRecord & { _id: Types.ObjectId; at: Date; details: Record<string, unknown> }

export async function searchAudit(q: AuditQuery): Promise<{ rows: AuditRow[]; next: string | null }> {
  const and: Array<Record<string, unknown>> = []
  if (q.actor) and.push(Types.ObjectId.isValid(q.actor) && q.actor.length === 24 ? { actorId: new Types.ObjectId(q.actor) } : { 'operator.username': q.actor.toLowerCase() })
  if (q.action) and.push(q.action.endsWith('.') ? { action: { $gte: q.action, $lt: `${q.action}\uffff` } } : { action: q.action })
  if (q.targetType) and.push({ targetType: q.targetType })
  if (q.targetId) and.push({ targetId: q.targetId })
  if (q.from) and.push({ at: { $gte: new Date(q.from) } })
  if (q.to) and.push({ at: { $lt: new Date(q.to) } })
  if (q.cursor) {
    const [atText, id] = q.cursor.split('_')
    const at = new Date(Number(atText))
    if (!id || !Types.ObjectId.isValid(id) || Number.isNaN(at.getTime())) throw new AppError('VALIDATION_FAILED', undefined, [{ path: 'query.cursor', message: '分页位置无效' }])
    and.push({ $or: [{ at: { $lt: at } }, { at, _id: { $lt: new Types.ObjectId(id) } }] })
  }
  const rows = await AuditLogModel.find(and.length ? { $and: and } : {})
    .sort({ at: -1, _id: -1 })
    .limit(q.limit + 1)
    .lean<AuditRow[]>()
  const page = rows.slice(0, q.limit)
  const last = page[page.length - 1]
  return { rows: page, next: rows.length > q.limit && last ? `${last.at.getTime()}_${last._id.toHexString()}` : null }
}
