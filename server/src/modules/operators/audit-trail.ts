import { Types } from 'mongoose'
import type { AuditEntryView, AuditPage, AuditQuery } from '@xianlin/shared'
import { searchAudit, type AuditRow } from '../audit/audit.service'
import { productNames } from '../catalog/catalog.service'
import { templateNames } from '../coupons/coupons.service'
import { storeNames } from '../stores/stores.service'
import { userNames } from '../users/users.service'
import { OperatorModel } from './operator.model'

/** Operators' display names by id; a retailer has tens of operators. */
async function operatorNames(ids: readonly string[]): Promise<Map<string, string>> {
  const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id))
  const rows = valid.length ? await OperatorModel.find({ _id: { $in: valid } }, { displayName: 1 }).lean() : []
  return new Map(rows.map((o) => [String(o._id), o.displayName]))
}

const idsOf = (rows: AuditRow[], type: string) => rows.filter((r) => r.targetType === type).map((r) => r.targetId)

/**
 * 审计日志 as operators read it: each entry with who acted and what it acted on by name (the
 * sentence itself is composed in `shared`, so the page and any export say the same).
 */
export async function auditTrail(q: AuditQuery): Promise<AuditPage> {
  const { rows, next } = await searchAudit(q)
  const memberIds = [...rows.flatMap((r) => (r.actorId ? [String(r.actorId)] : [])), ...idsOf(rows, 'user')].filter((id) => Types.ObjectId.isValid(id))
  const [members, operators, stores, products, templates] = await Promise.all([
    userNames(memberIds.map((id) => new Types.ObjectId(id))),
    operatorNames([...rows.flatMap((r) => (r.operator ? [r.operator.id] : [])), ...idsOf(rows, 'operator')]),
    storeNames(idsOf(rows, 'store').filter((id) => Types.ObjectId.isValid(id))),
    productNames(idsOf(rows, 'product')),
    templateNames(idsOf(rows, 'coupon_template')),
  ])
  const targetNames: Record<string, Map<string, string>> = { user: members, operator: operators, store: stores, product: products, coupon_template: templates }
  const entries: AuditEntryView[] = rows.map((r) => ({
    id: r._id.toHexString(),
    at: r.at.toISOString(),
    actor: r.operator?.username ?? (r.actorId ? String(r.actorId) : null),
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    outcome: r.outcome,
    details: r.details ?? {},
    actorKind: r.operator ? 'operator' : r.actorId ? 'member' : 'system',
    actorName: r.operator ? (operators.get(r.operator.id) ?? r.operator.username) : r.actorId ? (members.get(String(r.actorId)) ?? null) : null,
    targetName: targetNames[r.targetType]?.get(r.targetId) ?? null,
  }))
  return { entries, next }
}
