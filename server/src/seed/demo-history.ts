import { createHash } from 'node:crypto'
import { Schema, model } from 'mongoose'
import { addDays, businessInstant } from '@xianlin/shared'
import type { AppConfig } from '../config'
import type { Actor } from '../core/actor'
import type { FakePay } from '../dev/fake-pay'
import type { Logger } from '../logger'
import { createServices, type Services } from '../services'
import { createPayClient } from '../wechat/pay/pay-client'
import { DEMO_ACCOUNTS } from '../modules/auth/demo-accounts'
import { findOrCreateByOpenid } from '../modules/users/users.service'
import { DEMO_GROUPBUYS, DEMO_PRODUCTS } from './demo-data'
import { DEMO_OPERATOR } from './demo-operator'
import { OperatorModel } from '../modules/operators/operator.model'
import { runAsOperator } from '../core/acting-operator'
import { productIdsBySku } from '../modules/catalog/catalog.service'
import { rollupDay } from '../modules/events/daily-metrics'
import { seededRandom } from '../lib/seeded-random'

/**
 * The demo's history, lived through the product's own services on a simulated clock: members
 * register (some through a friend's invitation or the leader's link), check in by habit, fill
 * baskets for tomorrow's pickup and pay through the development Pay fake, open and fill group
 * buys, pick up at the store's desk, spend points in the mall and have vouchers redeemed,
 * review, now and then get refunded, and drift away after a lifetime of their own. Each sim
 * day ends with the jobs a server runs (settling, releasing, folding the day), at that day's
 * time. So every screen reads the same facts: orders, check-ins, ledgers and the events the
 * services emit. Deterministic for a seed; written once per database (a marker records it).
 */
export interface DemoHistoryOptions {
  members: number
  days: number
  /** The last day lived (yesterday). */
  endDay: string
  seed?: number
}

const MarkerModel = model('DemoHistory', new Schema({ _id: String, members: Number, days: Number, endDay: String, at: Date, orders: Number }, { versionKey: false }), 'demo_history')

const keyOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24)

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = ['芳', '娟', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娜', '涛', '明', '超', '秀英', '桂英', '建华', '小红', '晓燕', '丹', '萍', '鹏', '华', '红', '玲', '斌', '宇', '浩', '凯', '霞', '平', '刚', '桂兰', '阿姨', '大姐', '姐', '哥', '妈妈']

type Member = { id: string; nickname: string; joinDay: number; lastDay: number; checkinRate: number; buyRate: number }
type Placed = { orderId: string; userId: string; code: string }

export async function ensureDemoHistory(o: DemoHistoryOptions, ctx: { config: AppConfig; fakePay: FakePay; log: Logger; payClock?: () => Date }): Promise<{ orders: number; members: number } | null> {
  const id = `${o.members}:${o.days}:${o.seed ?? 1}`
  if (await MarkerModel.exists({ _id: id })) return null
  let now = new Date()
  // Pay requests are signed on the real clock: the fake, like WeChat Pay, refuses stale signatures.
  const payClient = createPayClient(ctx.config.pay!, ctx.payClock ?? (() => new Date()))
  const s: Services = createServices(ctx.config, ctx.log, { clock: () => now, pay: payClient })
  await s.rules.refresh()
  const tz = ctx.config.rules.business.timeZone
  const rand = seededRandom(o.seed ?? 1)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!
  const startDay = addDays(o.endDay, -(o.days - 1))
  const at = (dayIndex: number, hour: number, minute = 0) => new Date(businessInstant(addDays(startDay, dayIndex), hour, tz).getTime() + minute * 60_000)
  const refused = new Map<string, number>()
  const quietly = async <T>(work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work()
    } catch (err) {
      // A refusal the product gives (sold out, already checked in): the member moves on.
      const code = (err as { code?: string }).code ?? (err as Error).message
      refused.set(code, (refused.get(code) ?? 0) + 1)
      return null
    }
  }
  const spent = new Map<string, number>()
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now()
    try {
      return await work()
    } finally {
      spent.set(phase, (spent.get(phase) ?? 0) + Date.now() - t0)
    }
  }

  // The shop as it was: the demo stores' desk clerk, the shelf, and group-buys running through the period.
  now = at(0, 8)
  const staffUser = (await findOrCreateByOpenid({ openid: DEMO_ACCOUNTS.staff.openid, nickname: DEMO_ACCOUNTS.staff.nickname, roles: DEMO_ACCOUNTS.staff.roles }, now)).user
  const staff: Actor = { userId: staffUser._id.toHexString(), roles: staffUser.roles as Actor['roles'], storeIds: (staffUser.storeIds ?? []).map(String) }
  const storeId = staff.storeIds[0]!
  // Refunds are the demo operator's (made before the history starts), audited as the console's would be.
  const demoOperator = await OperatorModel.findOne({ username: DEMO_OPERATOR.username }, { _id: 1, username: 1 }).lean()
  const operatorId = String(demoOperator?._id ?? staff.userId)
  const asOperator = <T>(task: () => Promise<T>) => (demoOperator ? runAsOperator({ id: operatorId, username: demoOperator.username }, task) : task())
  const skus = await productIdsBySku(DEMO_PRODUCTS.map((p) => p.sku))
  const products = [...skus.values()]
  const activities: Array<{ id: string; size: number }> = []
  for (const g of DEMO_GROUPBUYS) {
    const productId = skus.get(g.sku)
    if (!productId) continue
    const a = await s.groupbuy.createActivity({ key: `history:${g.key}:${startDay}`, productId, title: g.title, tiers: g.tiers, startsAt: now.toISOString(), endsAt: at(o.days - 1, 22).toISOString(), stock: 100_000, perUserLimit: 1000 })
    activities.push({ id: a.id, size: g.tiers[0]!.size })
  }
  const mallItems = (await s.mall.listItems(undefined, {})).filter((i) => i.kind === 'coupon' || i.stores.some((x) => x.id === storeId))

  // Who will come, and when: more members join as the shop becomes known.
  const members: Member[] = Array.from({ length: o.members }, (_, i) => {
    const joinDay = Math.min(o.days - 1, Math.floor(o.days * Math.sqrt(rand())))
    const lifetime = Math.floor(-Math.log(1 - rand()) * 35) + 3
    return { id: '', nickname: `${pick([...SURNAMES])}${pick(GIVEN)}${String(i).padStart(3, '0')}`, joinDay, lastDay: joinDay + lifetime, checkinRate: 0.1 + rand() * 0.6, buyRate: 0.012 + rand() * 0.05 }
  })
  members.sort((a, b) => a.joinDay - b.joinDay)

  let orders = 0
  let waiting: Placed[] = []
  let vouchers: string[] = []
  const pay = (userId: string, body: Omit<Parameters<Services['orders']['checkout']>[1], 'quantity' | 'usePoints'>) => timed('orders', () => payNow(userId, body))
  const payNow = async (userId: string, body: Omit<Parameters<Services['orders']['checkout']>[1], 'quantity' | 'usePoints'>) => {
    const placed = await s.orders.checkout(userId, { quantity: 1, usePoints: false, ...body })
    // The shopper pays in the (fake) wallet; its notification is handled here, on the simulated clock.
    if (placed.payment) await ctx.fakePay.pay(placed.payment.package.replace('prepay_id=', ''), { deliver: false })
    const tx = ctx.fakePay.transaction(placed.order.id)
    if (tx?.trade_state === 'SUCCESS') await s.orders.handleNotification({ id: `demo:${placed.order.id}`, kind: 'transaction', eventType: 'TRANSACTION.SUCCESS', transaction: tx })
    orders++
    return placed.order
  }

  for (let day = 0; day < o.days; day++) {
    // Morning: yesterday's orders are handed over at the desk (most of them), a few reviewed.
    now = at(day, 16, 30)
    const due = waiting
    waiting = []
    for (const p of due) {
      // A group order gets its code when the group forms.
      if (!p.code) p.code = (await quietly(() => s.orders.get(p.userId, p.orderId)))?.pickupCode ?? ''
      if (!p.code) continue // its group did not form: refunded by the group job
      if (rand() < 0.06) {
        now = at(day, 9)
        await quietly(() => asOperator(() => s.orders.refundByOperator(operatorId, p.orderId, { reason: '到货有损，整单退款', key: `demo-refund:${p.orderId}` })))
        continue
      }
      now = at(day, 16, Math.floor(rand() * 240))
      const handed = await timed('pickups', () => quietly(() => s.orders.pickup(staff, { code: p.code, storeId })))
      if (handed && rand() < 0.25) await quietly(() => s.reviews.create(p.userId, p.orderId, { rating: rand() < 0.85 ? 5 : 4, text: pick(['很新鲜，下次还买', '个头大，家里人都爱吃', '自提很方便，团长很热心', '性价比高', '包装好，没有磕碰']), photoIds: [] }))
    }

    // Vouchers from the mall are redeemed at the desk, most of them the day after.
    for (const code of vouchers.splice(0)) {
      now = at(day, 10, Math.floor(rand() * 480))
      if (rand() < 0.8) await quietly(() => s.staffDesk.redeem(staff, { code, storeId }))
    }

    // Newcomers register through the app; some through a friend's invitation.
    for (const m of members.filter((x) => x.joinDay === day)) {
      now = at(day, 8 + Math.floor(rand() * 13), Math.floor(rand() * 60))
      // A third arrive from a friend's invite link: signed in with its attribution, as the mini-program does.
      const friends = members.filter((x) => x.id && x.joinDay < day)
      const inviter = friends.length && rand() < 0.3 ? (await s.referral.summary(pick(friends).id)).code : null
      const auth = await timed('register', () => s.auth.devLogin({ nickname: m.nickname, ...(inviter ? { attribution: { inviter } } : {}) }))
      m.id = auth.user.id
    }

    // The day's habits: check in, fill a basket for tomorrow, now and then a group-buy.
    const alive = members.filter((m) => m.id && m.joinDay <= day && m.lastDay >= day)
    // What the mini-program reports of the day's visits (the events route's own call), in one batch.
    const visits: Parameters<Services['events']['trackMany']>[0] = []
    for (const m of alive) {
      if (rand() < Math.max(m.checkinRate, 0.4)) {
        const seen = at(day, 7 + Math.floor(rand() * 14), Math.floor(rand() * 60))
        visits.push({ userId: m.id, name: 'visit', props: { page: 'home' }, at: seen })
        for (let v = Math.floor(rand() * 3); v > 0; v--) visits.push({ userId: m.id, name: 'product_view', props: { productId: pick(products) }, at: seen })
      }
    }
    await timed('visits', () => s.events.trackMany(visits))
    for (const m of alive) {
      if (rand() < m.checkinRate) {
        now = at(day, 7 + Math.floor(rand() * 14), Math.floor(rand() * 60))
        await timed('checkins', () => quietly(() => s.checkin.checkIn(m.id)))
      }
    }
    for (const m of alive) {
      if (rand() >= m.buyRate) continue
      now = at(day, 9 + Math.floor(rand() * 12), Math.floor(rand() * 60))
      if (activities.length && rand() < 0.3) {
        const a = pick(activities)
        const opened = await quietly(() => pay(m.id, { storeId, activityId: a.id, tierSize: a.size, idempotencyKey: keyOf(`demo-open:${m.id}:${day}`) }))
        if (!opened) continue
        waiting.push({ orderId: opened.id, userId: m.id, code: opened.pickupCode ?? '' })
        // Friends fill the group within the hour, or it is left to fail (its members refunded).
        const joiners = alive.filter((x) => x !== m).sort(() => rand() - 0.5).slice(0, rand() < 0.85 ? a.size - 1 : 0)
        for (const j of joiners) {
          now = new Date(now.getTime() + Math.floor(rand() * 20 + 1) * 60_000)
          const joined = await quietly(() => pay(j.id, { storeId, activityId: a.id, groupId: opened.groupId!, idempotencyKey: keyOf(`demo-join:${j.id}:${opened.id}`) }))
          if (joined) waiting.push({ orderId: joined.id, userId: j.id, code: joined.pickupCode ?? '' })
        }
        continue
      }
      const lines = [...products].sort(() => rand() - 0.5).slice(0, 1 + Math.floor(rand() * 3)).map((productId) => ({ productId, quantity: 1 + Math.floor(rand() * 2) }))
      // Into the basket first (加购), then checked out.
      for (const line of lines) await quietly(() => s.cart.add(m.id, line))
      const order = await quietly(() => pay(m.id, { storeId, lines, idempotencyKey: keyOf(`demo-basket:${m.id}:${day}`) }))
      if (order) waiting.push({ orderId: order.id, userId: m.id, code: order.pickupCode ?? '' })
    }

    // Points are spent in the mall by those who have enough.
    for (const m of alive) {
      if (!mallItems.length || rand() > 0.04) continue
      const item = pick(mallItems)
      now = at(day, 12 + Math.floor(rand() * 8), Math.floor(rand() * 60))
      const voucher = await quietly(() => s.mall.redeem(m.id, item.id, keyOf(`demo-mall:${m.id}:${day}`)))
      if (voucher && item.kind === 'goods') vouchers.push(voucher.code)
    }

    // Night: what the server's jobs do at this hour, at this day's time.
    now = at(day, 23, 50)
    await runDayJobs(s, now, addDays(startDay, day), day, timed)
  }
  // The last day's orders wait for today's pickup, as a real shop's would.
  ctx.log.info({ refused: Object.fromEntries(refused), ms: Object.fromEntries(spent) }, 'demo history: refusals and time by phase')
  await MarkerModel.create({ _id: id, members: o.members, days: o.days, endDay: o.endDay, at: new Date(), orders })
  return { orders, members: members.filter((m) => m.id).length }
}

/** The jobs of a day, at its end: settle check-ins, release and expire points, close holds and groups, fold the day. */
async function runDayJobs(s: Services, now: Date, day: string, index: number, timed: <T>(phase: string, work: () => Promise<T>) => Promise<T>): Promise<void> {
  await timed('job:checkin-settle', () => s.checkin.settle(now))
  await timed('job:groups', () => s.orders.settleGroups(now))
  await timed('job:commissions', () => s.leaders.releaseDueCommissions(now))
  await timed('job:invitations', () => s.referral.releaseDue(now))
  // The slower sweeps every few days: their work is days away (pending points, vouchers, holds of
  // orders that were all paid at once), so a few days' delay moves nothing a screen shows.
  if (index % 3 === 2) await timed('job:points-release', () => s.points.releaseDuePending(now))
  if (index % 7 === 6) {
    await timed('job:holds', () => s.orders.releaseDueHolds(now))
    await timed('job:vouchers', () => s.mall.expireDue(now))
    await timed('job:points-expire', () => s.points.expireDueLots(now))
  }
  // The day's events folded as the rollup job folds them (it also folds the day before; this one was, last night).
  await timed('job:fold', () => rollupDay(day))
}
