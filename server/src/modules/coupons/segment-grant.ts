import type { SegmentGrantPreview, SegmentGrantQuery, SegmentGrantRequest } from '@xianlin/shared'
import { AppError } from '../../core/app-error'
import type { Services } from '../../services'
import { recordAudit } from '../audit/audit.service'
import { adminTemplate } from './coupon-templates-admin'

/**
 * 按分群发券: one coupon of a template to each member of an RFM cell or a lifecycle tier, read
 * through the same report pages the 会员 list shows (so the count confirmed is the count listed).
 * Each member's coupon is keyed by the request's key: a retried grant gives nobody a second one.
 */
export function createSegmentGrant(s: Pick<Services, 'reports' | 'coupons' | 'clock'>) {
  async function membersOf(q: SegmentGrantQuery): Promise<string[]> {
    const all = q.segment ? await s.reports.segmentPage(q.segment, q.day, 0, Number.MAX_SAFE_INTEGER) : await s.reports.tierPage(q.tier!, q.day, 0, Number.MAX_SAFE_INTEGER)
    return all.ids
  }

  async function activeTemplate(id: string) {
    const t = await adminTemplate(id, s.clock())
    if (!t.active) throw new AppError('NOT_FOUND', '优惠券模板已停用')
    return t
  }

  return {
    async preview(q: SegmentGrantQuery): Promise<SegmentGrantPreview> {
      const [t, ids] = await Promise.all([activeTemplate(q.templateId), membersOf(q)])
      const faceValueFen = t.kind === 'amount' ? t.amountFen : null
      return { members: ids.length, templateName: t.name, faceValueFen, budgetFen: faceValueFen === null ? null : faceValueFen * ids.length }
    },

    async grant(body: SegmentGrantRequest): Promise<{ granted: number; replayed: number }> {
      await activeTemplate(body.templateId)
      const ids = await membersOf(body)
      if (ids.length !== body.expectedMembers) throw new AppError('SEGMENT_CHANGED', `分群人数已变化（现为 ${ids.length} 人），请重新确认后再发`)
      let granted = 0
      let replayed = 0
      for (const userId of ids) {
        const r = await s.coupons.grant({ templateId: body.templateId, userId, key: `segment:${body.idempotencyKey}:${userId}`, source: 'admin' })
        if (r.replayed) replayed++
        else granted++
      }
      const group = body.segment ? { segment: body.segment } : { tier: body.tier }
      await recordAudit({ actorId: null, action: 'coupon.grant.segment', targetType: 'coupon_template', targetId: body.templateId, outcome: 'granted', details: { ...group, day: body.day, members: ids.length, granted, replayed }, at: s.clock() })
      return { granted, replayed }
    },
  }
}
