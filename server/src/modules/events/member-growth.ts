import type { MemberGrowth, Rules } from '@xianlin/shared'
import { parsePaidEntries } from './member-payments'
import { profilesOf } from './member-profiles'
import { memberTiersOn } from './lifecycle-report'
import { rfmWindowFrom, segmentOf } from './rfm-report'

/**
 * What growth analytics knows of each of `ids` (会员 list and page): last active day, lifecycle tier
 * on `to`, and their RFM cell over the rules' window ending `to`, from the same daily fold and the
 * same rules (`memberTiersOn`, `segmentOf`) 用户分层 and RFM count, so a member's row agrees with
 * the cell it was listed under.
 */
export async function growthOfMembers(ids: readonly string[], to: string, t: Rules['rfm'], lifecycle: Rules['lifecycle']): Promise<Map<string, MemberGrowth>> {
  const [profiles, tiers] = await Promise.all([profilesOf(ids), memberTiersOn(to, lifecycle)])
  const from = rfmWindowFrom(to, t)
  const out = new Map<string, MemberGrowth>()
  for (const id of ids) {
    const p = profiles.get(id)
    const paid = parsePaidEntries(p?.paidDays ?? '').filter((d) => d.key >= from && d.key <= to)
    const totals = { orders: paid.reduce((n, d) => n + d.orders, 0), paidFen: paid.reduce((n, d) => n + d.paidFen, 0), lastPaidDay: paid.reduce((last, d) => (d.key > last ? d.key : last), '') }
    out.set(id, {
      lastActiveDay: p?.lastActiveDay ?? null,
      tier: p?.no !== undefined ? (tiers.get(p.no) ?? null) : null,
      rfm: totals.orders > 0 ? { segment: segmentOf(totals, to, t), orders: totals.orders, paidFen: totals.paidFen, lastPaidDay: totals.lastPaidDay } : null,
    })
  }
  return out
}
