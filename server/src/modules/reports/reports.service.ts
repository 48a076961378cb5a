import { addDays, businessDay, startOfBusinessDay, type LifecycleTier, type ActivityKind, type DayFigures, type GrowthTrend, type GroupbuyReport, type InvitationReport, type LeaderReport, type Overview, type RetentionReport, type RfmMembers, type RfmSegment, type Rules } from '@xianlin/shared'
import { countCheckins } from '../checkin/checkin-stats'
import { activityTitles, countGroupsSucceeded } from '../groupbuy/group-stats'
import { countRedemptions } from '../mall/voucher-stats'
import { countPickups } from '../orders/order-stats'
import { leaderMoney, moneyDays } from './money-days'
import { countUsersCreated, nicknamesOf, usersCreatedPage } from '../users/user-stats'
import { growthTrend } from '../events/daily-metrics'
import { funnelReport } from '../events/funnel-report'
import { lifecycleReport } from '../events/lifecycle-report'
import { checkinReport } from '../events/checkin-report'
import { groupbuyReport } from '../events/groupbuy-report'
import { invitationReport } from '../events/invitation-report'
import { rfmMembers, rfmReport, segmented } from '../events/rfm-report'
import { inactivePage } from '../events/member-profiles'
import { growthOfMembers } from '../events/member-growth'
import { membersOfTierOn } from '../events/lifecycle-report'
import { pointsLiability, recountPointsLiability, tallyPointsLiability } from '../points/points-liability'
import type { Logger } from '../../logger'
import type { LeadersService } from '../leaders/leaders.service'
import { retentionReport } from '../events/retention-report'

/** Days back the money job keeps counted: 增长分析's longest default range (a quarter). */
const RECENT_MONEY_DAYS = 92

/**
 * The figures operators open the console to (概览): per business day, counted by each domain's
 * own reader (this module reads no other module's models).
 */
export function createReportsService(deps: {
  timeZone: string
  clock: () => Date
  lifecycle: Rules['lifecycle']
  rfm: Rules['rfm']
  points: Rules['points']
  leaderPerformance: LeadersService['performance']
  log: Logger
}) {
  const { timeZone, clock } = deps

  // One recount of 积分负债 at a time in this process: the daily check and an operator's
  // 重新统计 share it instead of reading the ledger twice.
  let liabilityRun: Promise<{ entries: number }> | null = null
  const refreshPointsLiability = (now: Date) =>
    (liabilityRun ??= recountPointsLiability({ now, timeZone, log: (drift) => deps.log.warn(drift, '积分负债: the tallied figures differed from the recount (replaced)') }).finally(() => {
      liabilityRun = null
    }))

  /** Paid, refunded and net money of each day from `first` to `last`: the one reader of money by day. */
  const moneyByDay = (first: string, last: string) => moneyDays(first, last, timeZone)

  async function dayFigures(day: string, money: Awaited<ReturnType<typeof moneyByDay>>): Promise<DayFigures> {
    const from = startOfBusinessDay(day, timeZone)
    const to = startOfBusinessDay(addDays(day, 1), timeZone)
    const [newMembers, checkins, groupsSucceeded, redemptions, pickups] = await Promise.all([countUsersCreated(from, to), countCheckins(day), countGroupsSucceeded(from, to), countRedemptions(from, to), countPickups(from, to)])
    return { day, newMembers, checkins, ...money(day), groupsSucceeded, redemptions, pickups }
  }

  return {
    /** The last `days` business days, oldest first, ending today. */
    async overview(days: number): Promise<Overview> {
      const today = businessDay(clock(), timeZone)
      const list = Array.from({ length: days }, (_, i) => addDays(today, i - days + 1))
      const money = await moneyByDay(list[0]!, today)
      const figures: DayFigures[] = []
      // One day at a time: a few counts each, so a long range never floods the database.
      for (const day of list) figures.push(await dayFigures(day, money))
      return { timeZone, days: figures }
    },

    /**
     * 增长趋势: active, new and paying members from the event rollups; money (paid, refunded, net,
     * average order) from the orders and refunds, the same reader as 概览's cards.
     */
    async trend(from: string, to: string): Promise<GrowthTrend> {
      const [trend, money] = await Promise.all([growthTrend(from, to), moneyByDay(from, to)])
      return {
        ...trend,
        days: trend.days.map((d) => {
          const m = money(d.day)
          return { ...d, paidFen: m.paidFen, refundedFen: m.refundedFen, netFen: m.netFen, averageOrderFen: m.paidOrders ? Math.round(m.paidFen / m.paidOrders) : 0 }
        }),
      }
    },

    /** 留存 (#16): D1/D7/D30 by weekly registration cohort, from the rollups. */
    retention: (from: string, to: string, returning: RetentionReport['returning']) => retentionReport(from, to, returning, businessDay(clock(), timeZone)),

    /** 转化漏斗 (#16): ordered steps within a conversion window, by channel, from the rollups. */
    funnel: (q: { from: string; to: string; steps: ActivityKind[]; windowDays: number }) => funnelReport(q, businessDay(clock(), timeZone)),

    /** 用户分层 (#16): members per lifecycle tier at weekly points, and the moves between them. */
    lifecycle: (from: string, to: string) => lifecycleReport(from, to, deps.lifecycle),

    /** 签到 (#16): check-ins by streak, make-ups, check-in to order conversion. */
    checkins: (from: string, to: string) => checkinReport(from, to, businessDay(clock(), timeZone)),

    /** 拼团 (#16): success, failure, auto-fill and time to fill by activity and size, with the activities' titles. */
    async groupbuys(from: string, to: string): Promise<GroupbuyReport> {
      const report = await groupbuyReport(from, to)
      const titles = await activityTitles([...new Set(report.rows.map((r) => r.activityId))])
      return { ...report, rows: report.rows.map((r) => ({ ...r, title: titles.get(r.activityId) ?? null })) }
    },

    /** 邀请裂变 (#16): shares, opens, members brought by friends, their first orders, K-factor, top sharers by name. */
    async invitations(from: string, to: string): Promise<InvitationReport> {
      const report = await invitationReport(from, to)
      const names = await nicknamesOf(report.topSharers.map((s) => s.userId))
      return { ...report, topSharers: report.topSharers.map((s) => ({ ...s, nickname: names.get(s.userId) ?? null })) }
    },

    /** 积分负债 (#16): unexpired points by expiry month with their value, and monthly flows. */
    pointsLiability: (months: number) => pointsLiability({ now: clock(), timeZone, months, pointsPerYuan: deps.points.pointsPerYuan }),

    /**
     * Job: counts again the days of the ranges the console opens with (the last quarter) that
     * payments or refunds marked, or that were never counted, so reports seldom wait for money;
     * when nothing changed, one read of the quarter's documents.
     */
    async countRecentMoney(now: Date): Promise<void> {
      const today = businessDay(now, timeZone)
      await moneyByDay(addDays(today, -(RECENT_MONEY_DAYS - 1)), today)
    },

    /** Job: adds to the 积分负债 figures what the entries written since its last run changed. */
    tallyPointsLiability: (now: Date) => tallyPointsLiability({ now, timeZone }),

    /** Job (daily) and 重新统计: recounts the 积分负债 figures from the whole ledger, a check on the tally; joins a recount in progress here. */
    refreshPointsLiability,

    /** 重新统计: starts a run now unless one is going on here; the report shows it when done. */
    startPointsLiabilityRefresh(): { refreshing: true } {
      refreshPointsLiability(clock()).catch((err: unknown) => deps.log.error({ err }, '积分负债 refresh failed'))
      return { refreshing: true }
    },

    /** 团长 (#16): per leader members, new members, orders, buyers, amount paid and commission, most paid first. */
    async leaders(from: string, to: string): Promise<LeaderReport> {
      const [start, end] = [startOfBusinessDay(from, timeZone), startOfBusinessDay(addDays(to, 1), timeZone)]
      // Money from the same count as 概览's and 增长趋势's (money_days), split by the orders' points.
      const [leaders, money] = await Promise.all([deps.leaderPerformance(start, end), leaderMoney(from, to, timeZone)])
      const rows = leaders.map((l) => {
        const m = money.get(l.leaderId) ?? { orders: 0, payFen: 0, refundedFen: 0, buyers: 0 }
        return { ...l, orders: m.orders, buyers: m.buyers, paidFen: m.payFen, refundedFen: m.refundedFen, netFen: m.payFen - m.refundedFen }
      })
      return { from, to, leaders: rows.sort((a, b) => b.paidFen - a.paidFen || b.members - a.members || a.name.localeCompare(b.name)) }
    },

    /** RFM (#16): the eight segments over the rules' window ending `to`. */
    rfm: (to: string) => rfmReport(to, deps.rfm),

    /** What growth analytics knows of each of `ids` as of `day` (会员 list and page; agrees with RFM's cells). */
    memberGrowth: (ids: readonly string[], day: string) => growthOfMembers(ids, day, deps.rfm, deps.lifecycle),

    /** The business day growth figures default to: today. */
    today: () => businessDay(clock(), timeZone),

    /** The RFM window in days (rules, live). */
    rfmWindowDays: () => deps.rfm.windowDays,

    /** A page of an RFM cell's member ids, as RFM counts them (highest paid first), and how many it holds. */
    async segmentPage(segment: RfmSegment, day: string, offset: number, limit: number): Promise<{ ids: string[]; total: number }> {
      const page = await rfmMembers({ to: day, segment, offset, limit }, deps.rfm)
      return { ids: page.members.map((m) => m.userId), total: page.total }
    },

    /** A page of a lifecycle tier's member ids on `day`, as 用户分层 counts them (newest member first), and how many it holds. */
    async tierPage(tier: LifecycleTier, day: string, offset: number, limit: number): Promise<{ ids: string[]; total: number }> {
      const all = (await membersOfTierOn(day, tier, deps.lifecycle)).sort((a, b) => b.localeCompare(a))
      return { ids: all.slice(offset, offset + limit), total: all.length }
    },

    /** A page of the members who paid at least `minFen` in the RFM window ending `day` (highest first), and how many. */
    async spendPage(minFen: number, day: string, offset: number, limit: number): Promise<{ ids: string[]; total: number }> {
      const of = (await segmented(day, deps.rfm)).filter((m) => m.paidFen >= minFen).sort((a, b) => b.paidFen - a.paidFen || a.userId.localeCompare(b.userId))
      return { ids: of.slice(offset, offset + limit).map((m) => m.userId), total: of.length }
    },

    /** A page of the members not active in the `days` days up to `day` (last active on `day - days` or before). */
    inactivePage: (days: number, day: string, offset: number, limit: number) => inactivePage(addDays(day, -days), offset, limit),

    /** A page of the members who registered from `from` to `to` (business days), as 留存's cohorts count them. */
    registeredPage: (from: string, to: string, offset: number, limit: number) => usersCreatedPage(startOfBusinessDay(from, timeZone), startOfBusinessDay(addDays(to, 1), timeZone), offset, limit),

    /** One RFM segment's members by name, highest paid first. */
    async rfmMembers(q: { to: string; segment: RfmSegment; offset: number; limit: number }): Promise<RfmMembers> {
      const page = await rfmMembers(q, deps.rfm)
      const names = await nicknamesOf(page.members.map((m) => m.userId))
      return { ...page, members: page.members.map((m) => ({ ...m, nickname: names.get(m.userId) ?? null })) }
    },
  }
}

export type ReportsService = ReturnType<typeof createReportsService>
