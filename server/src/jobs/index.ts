import type { Services } from '../services'
import type { Job } from './scheduler'
import { addDays } from '@xianlin/shared'
import { purgeExpiredWindows } from '../modules/ratelimit/rate-limit.service'
import { purgeExpiredRefreshTokens } from '../modules/auth/refresh-token.service'
import { listUnlistedMembers } from '../modules/users/users.service'
import { purgeUnattachedPhotos } from '../modules/photos/photos.service'

const MINUTE = 60_000

/** Every scheduled job of the server: each runs once per period across the instances (`everyInstance`: on each), and is safe to run twice. */
export function buildJobs(s: Services, opts: { rulesRefreshMs: number } = { rulesRefreshMs: MINUTE / 2 }): Job[] {
  return [
    // Rules another instance saved apply on this one within half a minute (RULES_REFRESH_MS): each instance refreshes its own copy.
    { name: 'rules-refresh', everyMs: opts.rulesRefreshMs, everyInstance: true, run: () => s.rules.refresh() },
    // The folds list each day's new members; this catches any a crash cut short (a scan of users, so hourly).
    { name: 'members-directory', everyMs: 60 * MINUTE, run: () => listUnlistedMembers() },
    { name: 'purge-rate-windows', everyMs: 5 * MINUTE, run: purgeExpiredWindows },
    { name: 'purge-refresh-tokens', everyMs: 60 * MINUTE, run: purgeExpiredRefreshTokens },
    { name: 'points-release-pending', everyMs: 10 * MINUTE, run: (now) => s.points.releaseDuePending(now) },
    { name: 'points-expire-lots', everyMs: 60 * MINUTE, run: (now) => s.points.expireDueLots(now) },
    { name: 'membership-retention', everyMs: 6 * 60 * MINUTE, run: (now) => s.membership.evaluateRetention(now) },
    { name: 'rewards-recovery', everyMs: MINUTE, run: (now) => s.rewards.recover(now) },
    // A check-in's growth and event follow its points within seconds; the job also pays one a crash cut short.
    { name: 'checkin-settle', everyMs: 5_000, run: (now) => s.checkin.settle(now) },
    { name: 'checkin-recovery', everyMs: MINUTE, run: (now) => s.checkin.recover(now) },
    { name: 'mall-recovery', everyMs: MINUTE, run: (now) => s.mall.recover(now) },
    { name: 'mall-expire-vouchers', everyMs: 30 * MINUTE, run: (now) => s.mall.expireDue(now) },
    { name: 'assists-expire', everyMs: 5 * MINUTE, run: (now) => s.assists.expireDue(now) },
    { name: 'assists-recover', everyMs: 5 * MINUTE, run: (now) => s.assists.recover(now) },
    { name: 'orders-release-holds', everyMs: MINUTE / 2, run: (now) => s.orders.releaseDueHolds(now) },
    { name: 'groups-settle', everyMs: MINUTE / 2, run: (now) => s.orders.settleGroups(now) },
    { name: 'commissions-release', everyMs: 10 * MINUTE, run: (now) => s.leaders.releaseDueCommissions(now) },
    { name: 'invitations-release', everyMs: 10 * MINUTE, run: (now) => s.referral.releaseDue(now) },
    { name: 'phones-reseal', everyMs: 60 * MINUTE, run: () => s.phone.resealWithCurrentKey() },
    { name: 'money-days', everyMs: MINUTE, run: (now) => s.reports.countRecentMoney(now) },
    // After folding, RFM's figures for the windows the console opens (ending today, ending yesterday) are counted again and kept.
    {
      name: 'analytics-rollup',
      everyMs: 10 * MINUTE,
      runAtStart: true,
      run: async (now) => {
        await s.events.rollupRecent(now)
        const today = s.reports.today()
        for (const to of [today, addDays(today, -1)]) await s.reports.rfm(to)
      },
    },
    // 积分负债 by increments from the entries written since; the daily recount of the whole ledger checks it.
    { name: 'points-liability', everyMs: 60 * MINUTE, runAtStart: true, run: (now) => s.reports.tallyPointsLiability(now) },
    { name: 'points-liability-recount', everyMs: 24 * 60 * MINUTE, run: (now) => s.reports.refreshPointsLiability(now) },
    { name: 'campaigns', everyMs: 10 * MINUTE, run: (now) => s.campaigns.runDue(now) },
    { name: 'notices-push', everyMs: MINUTE, run: (now) => s.notifications.push(now) },
    { name: 'perks-birthday', everyMs: 15 * MINUTE, run: (now) => s.perks.grantBirthdays(now) },
    { name: 'perks-monthly', everyMs: 15 * MINUTE, run: (now) => s.perks.grantMonthly(now) },
    { name: 'reviews-reward', everyMs: 5 * MINUTE, run: (now) => s.reviews.rewardMissed(now) },
    { name: 'photos-purge-unattached', everyMs: 30 * MINUTE, run: purgeUnattachedPhotos },
    { name: 'withdrawals-recover', everyMs: 5 * MINUTE, run: (now) => s.leaders.recoverWithdrawals(now) },
    { name: 'checkin-reminders', everyMs: 5 * MINUTE, run: (now) => s.checkin.sendReminders(now) },
  ]
}
