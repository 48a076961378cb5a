import { Types } from 'mongoose'
import { operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { rollupDay } from './daily-metrics'
import { channelsOf, memberIdsByNumber } from './member-profiles'
import { registrationsBy } from './registrations'
import { groupbuyFixtures } from '../../../test/groupbuy-fixtures'

/**
 * 留存 and 转化漏斗 against a hand count over a small fixed history (business days in Shanghai),
 * with registrations and returns on both sides of midnight. Today is Monday 30 November 2026.
 */
let now = new Date('2026-11-30T10:00:00+08:00')
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => now })
})
afterAll(() => t.close())

const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)
const member = () => new Types.ObjectId()
const [A, B, C, D, E, F, G, H, K, L, M, N, P] = Array.from({ length: 13 }, member)
const id = () => new Types.ObjectId().toHexString()

async function history() {
  const track = t.services.events.track
  const register = (userId: Types.ObjectId, at: string, channel: 'invite' | 'share_card' | 'poster' | 'leader' | 'organic') => track({ userId, name: 'register', props: { source: 'wechat', channel }, at: sh(at) })
  const visit = (userId: Types.ObjectId, at: string) => track({ userId, name: 'visit', props: { page: 'pages/index/index' }, at: sh(at) })
  const view = (userId: Types.ObjectId, at: string) => track({ userId, name: 'product_view', props: { productId: id() }, at: sh(at) })
  const join = (userId: Types.ObjectId, at: string) => track({ userId, name: 'group_join', props: { activityId: id(), groupId: id() }, at: sh(at) })
  const pay = (userId: Types.ObjectId, at: string, fen = 1990) => track({ userId, name: 'payment', props: { orderId: id(), fen }, at: sh(at) })
  const pickup = (userId: Types.ObjectId, at: string) => track({ userId, name: 'pickup', props: { orderId: id(), at: 'leader' }, at: sh(at) })
  const checkin = (userId: Types.ObjectId, at: string, streak = 1) => track({ userId, name: 'checkin', props: { day: at.slice(0, 10), cycleDay: streak, streak }, at: sh(at) })

  // Week 44: G registers on Monday 26 October, visits the next day, pays 30 days later.
  await register(G, '2026-10-26 09:00', 'leader')
  await visit(G, '2026-10-27 12:00')
  await pay(G, '2026-11-25 18:00')
  // Week 45: A (Mon 2 Nov), B (Thu 5 Nov), C at 23:59 on Sunday 8 Nov: still week 45.
  await register(A, '2026-11-02 08:00', 'invite')
  await visit(A, '2026-11-03 08:00')
  await view(A, '2026-11-03 08:05')
  await track({ userId: A, name: 'group_open', props: { activityId: id(), groupId: id() }, at: sh('2026-11-04 09:00') })
  await pay(A, '2026-11-04 09:01')
  await visit(A, '2026-11-09 20:00')
  await pickup(A, '2026-11-12 10:00') // 10 days after A entered the funnel: outside a 7-day window
  await register(B, '2026-11-05 12:00', 'organic')
  await view(B, '2026-11-06 12:00') // before B's first visit: does not count as B's second step
  await visit(B, '2026-11-10 12:00')
  await register(C, '2026-11-08 23:59', 'share_card')
  await checkin(C, '2026-11-09 00:01') // C's day 1, a minute after midnight
  await visit(C, '2026-11-09 00:02')
  await view(C, '2026-11-09 00:03')
  await join(C, '2026-11-09 00:04')
  await pay(C, '2026-11-09 00:05')
  await pickup(C, '2026-11-15 21:00') // the last day of C's 7-day window
  // Week 46: D at 00:01 on Monday 9 Nov (week 46), never back; E on Saturday 14 Nov.
  await register(D, '2026-11-09 00:01', 'poster')
  await register(E, '2026-11-14 10:00', 'invite')
  await visit(E, '2026-11-14 10:01')
  await join(E, '2026-11-14 10:05') // no product view: stops at the second step
  await checkin(E, '2026-11-21 07:00') // E's day 7
  // Week 48: F registers yesterday; H visits without a registration on record (channel unknown).
  await register(F, '2026-11-29 15:00', 'leader')
  await visit(H, '2026-11-15 11:00')

  // P (registered before events were kept) checks in four days running, then makes up a missed day.
  for (const [i, day] of ['2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'].entries()) await checkin(P, `${day} 07:30`, i + 1)
  await track({ userId: P, name: 'makeup', props: { day: '2026-11-08', costPoints: 20 }, at: sh('2026-11-13 07:31') })
  // Shares and opens, each by a member already active that day (so no one's activity changes).
  await track({ userId: A, name: 'share', props: { page: 'pages/groupbuy/index', targetId: null }, at: sh('2026-11-03 08:10') })
  const opened = (opener: Types.ObjectId, sharer: Types.ObjectId, at: string) => track({ userId: opener, name: 'share_open', props: { shareId: id(), sharerId: sharer.toHexString() }, at: sh(at) })
  await opened(C, A, '2026-11-09 00:06')
  await opened(P, C, '2026-11-10 07:35')
  await opened(E, A, '2026-11-14 10:02')

  // Groups ending (no member: these count no one as active): a real activity in two sizes, and one deleted since.
  await gb.setUp()
  realActivity = await gb.activity({ tiers: [{ size: 2, priceFen: 1990 }, { size: 5, priceFen: 1590 }] })
  const ended = (name: 'group_success' | 'group_fail', activityId: string, size: number, at: string, openMinutes: number, autoFilled = false) =>
    track({ name, props: { groupId: id(), activityId, size, openMinutes, ...(name === 'group_success' ? { autoFilled } : {}) } as never, at: sh(at) })
  await ended('group_success', realActivity, 2, '2026-11-16 12:00', 30)
  await ended('group_success', realActivity, 2, '2026-11-17 12:00', 90)
  await ended('group_fail', realActivity, 2, '2026-11-18 12:00', 1440)
  await ended('group_success', realActivity, 5, '2026-11-18 23:59', 600, true)
  await ended('group_fail', goneActivity, 2, '2026-11-20 00:01', 1440)
  await ended('group_success', realActivity, 2, '2026-11-25 12:00', 10) // after the range asked below

  // P spends big three days running, after its check-ins' week; K spent big once, long ago.
  for (const [day, fen] of [['2026-11-20', 20000], ['2026-11-21', 20000], ['2026-11-22', 15000]] as const) await pay(P, `${day} 19:00`, fen)
  await pay(K, '2026-09-02 10:05', 60000)

  // Long before: K (last seen 2 Sep), L (1 Aug), M (20 Oct) and N (8 Oct) have gone quiet.
  await register(L, '2026-08-01 10:00', 'organic')
  await register(K, '2026-09-01 10:00', 'poster')
  await visit(K, '2026-09-02 10:00')
  await register(N, '2026-10-01 10:00', 'invite')
  await visit(N, '2026-10-08 10:00')
  await register(M, '2026-10-10 10:00', 'organic')
  await visit(M, '2026-10-20 10:00')
  for (const day of ['2026-08-01', '2026-09-01', '2026-09-02', '2026-10-01', '2026-10-08', '2026-10-10', '2026-10-20']) await rollupDay(day)

  for (let day = '2026-10-26'; day <= '2026-11-30'; day = next(day)) await Promise.all([rollupDay(day), rollupDay(day)]) // two instances at once
}
const next = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

const gb = groupbuyFixtures(() => t, () => now)
let realActivity = ''
const goneActivity = new Types.ObjectId().toHexString()

const rate = (retained: number, eligible: number) => ({ eligible, retained, rate: eligible ? retained / eligible : null })

describe('growth reports from the rollups', () => {
  beforeAll(history)

  it('留存: D1/D7/D30 by weekly registration cohort, only over days already complete', async () => {
    const admin = await operatorLogin(t)
    const report = async (returning?: string) =>
      (await t.http.get('/api/admin/analytics/retention').query({ from: '2026-10-26', to: '2026-11-29', ...(returning ? { returning } : {}) }).set(admin.auth).expect(200)).body
    const offsets = (...cells: Array<[number, number]>) => cells.map(([retained, eligible], i) => ({ offset: [1, 7, 30][i], ...rate(retained, eligible) }))

    expect(await report()).toEqual({
      from: '2026-10-26',
      to: '2026-11-29',
      returning: 'any',
      cohorts: [
        { week: '2026-W44', start: '2026-10-26', size: 1, offsets: offsets([1, 1], [0, 1], [1, 1]) },
        // C's day 1 is the minute after midnight; day 7: A visits, C picks up, B stays away; A's day 30 (2 Dec) has not come.
        { week: '2026-W45', start: '2026-11-02', size: 3, offsets: offsets([3, 3], [2, 3], [0, 0]) },
        { week: '2026-W46', start: '2026-11-09', size: 2, offsets: offsets([0, 2], [1, 2], [0, 0]) },
        // F registered yesterday: day 1 is today, not over yet.
        { week: '2026-W48', start: '2026-11-23', size: 1, offsets: offsets([0, 0], [0, 0], [0, 0]) },
      ],
    })
    // Counting check-ins only: C's day-1 check-in and E's day-7 check-in; G's day-30 payment is no check-in.
    const checkins = await report('checkin')
    expect(checkins.cohorts.map((c: { offsets: unknown }) => c.offsets)).toEqual([
      offsets([0, 1], [0, 1], [0, 1]),
      offsets([1, 3], [0, 3], [0, 0]),
      offsets([0, 2], [1, 2], [0, 0]),
      offsets([0, 0], [0, 0], [0, 0]),
    ])
  })

  it('转化漏斗: ordered steps within the window, split by first-touch channel', async () => {
    const admin = await operatorLogin(t)
    const funnel = async (query: Record<string, string | number>) => (await t.http.get('/api/admin/analytics/funnel').query({ from: '2026-11-02', to: '2026-11-15', ...query }).set(admin.auth).expect(200)).body

    // The default funnel is the basket's: 访问 → 浏览商品 → 加购 → 下单 → 支付 → 提货.
    expect((await funnel({})).steps).toEqual(['visit', 'product_view', 'cart', 'order', 'payment', 'pickup'])
    // Entered (visited) in range: A, B, C, E, H. A paid but picked up after its window; C went all the way.
    expect(await funnel({ steps: 'visit,product_view,group,payment,pickup' })).toEqual({
      from: '2026-11-02',
      to: '2026-11-15',
      steps: ['visit', 'product_view', 'group', 'payment', 'pickup'],
      windowDays: 7,
      reached: [5, 2, 2, 2, 1],
      byChannel: [
        { channel: 'invite', reached: [2, 1, 1, 1, 0] },
        { channel: 'share_card', reached: [1, 1, 1, 1, 1] },
        { channel: 'organic', reached: [1, 0, 0, 0, 0] },
        { channel: 'unknown', reached: [1, 0, 0, 0, 0] },
      ],
    })
    // A 10-day window lets A's pickup count.
    expect((await funnel({ steps: 'visit,product_view,group,payment,pickup', windowDays: 10 })).reached).toEqual([5, 2, 2, 2, 2])
    // Custom steps: check-in then payment the same day (C did; P checked in but never paid).
    expect((await funnel({ steps: 'checkin,payment', windowDays: 1 })).reached).toEqual([2, 1])
    // Channels of many members come from one read of every profile, of a few by id: the same answer.
    const idOf = await memberIdsByNumber()
    const entered = await registrationsBy('2026-11-30')
    const members = [...entered.keys()].map((n) => idOf.get(n)!)
    const few = await channelsOf(members)
    const many = await channelsOf([...members, ...Array.from({ length: 1_000 }, () => id())])
    expect(members.length).toBeGreaterThan(5)
    expect([...few].filter(([, c]) => c !== 'unknown').length).toBeGreaterThan(3)
    for (const [member, channel] of few) expect(many.get(member)).toBe(channel)
    // The register sets the reports read keep the same channels as the profiles.
    const registrations = await registrationsBy('2026-11-30')
    expect(registrations.size).toBe(members.length)
    for (const [n, { channel }] of registrations) expect(few.get(idOf.get(n)!)).toBe(channel)
    expect(many.size).toBe(members.length + 1_000)
  })

  it("用户分层: tiers at weekly points with the rules' thresholds, and who moved where", async () => {
    const admin = await operatorLogin(t)
    const report = (await t.http.get('/api/admin/analytics/lifecycle').query({ from: '2026-11-22', to: '2026-11-29' }).set(admin.auth).expect(200)).body
    expect(report.tiers.map((x: { label: string }) => x.label)).toEqual(['新客', '活跃', '低频', '沉默 30–45 天', '沉默 46–60 天', '沉默 61–89 天', '流失（90 天以上）'])
    const counts = (n: number[]) => Object.fromEntries(['new', 'active', 'occasional', 'silent_early', 'silent_mid', 'silent_late', 'lost'].map((k, i) => [k, n[i]]))
    expect(report.points).toEqual([
      // 22 Nov: G (registered 26 Oct, active 27 Oct) still counts two days in 30; D was active once;
      // M 33 and N 45 days quiet; K 81; L registered 1 Aug and never came back. F is not a member yet.
      { day: '2026-11-22', counts: counts([0, 5, 1, 2, 0, 1, 1]) },
      // 29 Nov: F is new; G only came once in the last 30 days; N crossed into 46–60 days.
      { day: '2026-11-29', counts: counts([1, 4, 2, 1, 1, 1, 1]) },
    ])
    expect(report.flows).toEqual([
      {
        from: '2026-11-22',
        to: '2026-11-29',
        moves: [
          { from: 'active', to: 'active', members: 4 },
          { from: 'active', to: 'occasional', members: 1 },
          { from: 'occasional', to: 'occasional', members: 1 },
          { from: 'silent_early', to: 'silent_early', members: 1 },
          { from: 'silent_early', to: 'silent_mid', members: 1 },
          { from: 'silent_late', to: 'silent_late', members: 1 },
          { from: 'lost', to: 'lost', members: 1 },
        ],
      },
    ])
  })

  it('签到: check-ins by the streak they reached, make-ups, and check-in to payment within a week', async () => {
    const admin = await operatorLogin(t)
    const report = (await t.http.get('/api/admin/analytics/checkins').query({ from: '2026-11-08', to: '2026-11-14' }).set(admin.auth).expect(200)).body
    const streaks = (n: number[]) => Object.fromEntries(['1', '2-3', '4-6', '7-13', '14-29', '30+'].map((k, i) => [k, n[i] ?? 0]))
    expect(report.days).toEqual([
      { day: '2026-11-08', checkins: 0, makeups: 0, byStreak: streaks([]) },
      { day: '2026-11-09', checkins: 1, makeups: 0, byStreak: streaks([1]) }, // C, a minute after midnight
      { day: '2026-11-10', checkins: 1, makeups: 0, byStreak: streaks([1]) },
      { day: '2026-11-11', checkins: 1, makeups: 0, byStreak: streaks([0, 1]) },
      { day: '2026-11-12', checkins: 1, makeups: 0, byStreak: streaks([0, 1]) },
      { day: '2026-11-13', checkins: 1, makeups: 1, byStreak: streaks([0, 0, 1]) },
      { day: '2026-11-14', checkins: 0, makeups: 0, byStreak: streaks([]) },
    ])
    expect(report.byStreak).toEqual(streaks([2, 2, 1]))
    // C paid the day of its check-in; P never paid.
    expect(report.conversion).toEqual({ windowDays: 7, checkedIn: 2, paid: 1 })
  })

  it('拼团: success, failure, auto-fill and time to fill by activity and size, titled', async () => {
    const admin = await operatorLogin(t)
    const report = (await t.http.get('/api/admin/analytics/groupbuys').query({ from: '2026-11-16', to: '2026-11-20' }).set(admin.auth).expect(200)).body
    const title = (await t.services.groupbuy.getActivity(realActivity)).title
    expect(report.rows[0]).toEqual({ activityId: realActivity, title, size: 2, succeeded: 2, failed: 1, autoFilled: 0, averageFillMinutes: 60 })
    expect(report.rows.slice(1).sort((a: { size: number }, b: { size: number }) => a.size - b.size)).toEqual([
      { activityId: goneActivity, title: null, size: 2, succeeded: 0, failed: 1, autoFilled: 0, averageFillMinutes: null },
      { activityId: realActivity, title, size: 5, succeeded: 1, failed: 0, autoFilled: 1, averageFillMinutes: 600 },
    ])
  })

  it('邀请裂变: shares, opens, members friends brought and their first orders, K-factor per week, top sharers', async () => {
    const admin = await operatorLogin(t)
    const report = (await t.http.get('/api/admin/analytics/invitations').query({ from: '2026-11-02', to: '2026-11-15' }).set(admin.auth).expect(200)).body
    expect(report.weeks).toEqual([
      // Week 45: A (invite) and C (share card) came through friends, B on its own; A paid first on the 4th; A, B, C active.
      { week: '2026-W45', start: '2026-11-02', shares: 1, shareOpens: 0, referredMembers: 2, referredFirstOrders: 1, activeMembers: 3, kFactor: 2 / 3 },
      // Week 46: D (poster) and E (invite) came; C paid first; A, B, C, D, E, H, P active.
      { week: '2026-W46', start: '2026-11-09', shares: 0, shareOpens: 3, referredMembers: 2, referredFirstOrders: 1, activeMembers: 7, kFactor: 2 / 7 },
    ])
    expect(report.topSharers).toEqual([
      { userId: A.toHexString(), nickname: null, opens: 2 },
      { userId: C.toHexString(), nickname: null, opens: 1 },
    ])
  })

  it("RFM: eight segments over the rules' window, amounts per segment, and each segment's members", async () => {
    const admin = await operatorLogin(t)
    const report = (await t.http.get('/api/admin/analytics/rfm').query({ to: '2026-11-29' }).set(admin.auth).expect(200)).body
    expect(report).toMatchObject({ to: '2026-11-29', windowDays: 180, recentDays: 30, frequentOrders: 3, valuableFen: 50000 })
    const bySegment = Object.fromEntries(report.segments.map((x: { segment: string; members: number; paidFen: number }) => [x.segment, [x.members, x.paidFen]]))
    expect(bySegment).toEqual({
      champion: [1, 55000], // P: three payments, ¥550, last on the 22nd
      promising_big: [0, 0],
      loyal_lapsing: [0, 0],
      big_lapsing: [1, 60000], // K: ¥600 once, in September
      loyal_small: [0, 0],
      newcomer: [3, 5970], // G, A and C: one ¥19.90 each within 30 days
      regular_lapsing: [0, 0],
      lapsed_small: [0, 0],
    })
    const list = (await t.http.get('/api/admin/analytics/rfm/members').query({ to: '2026-11-29', segment: 'newcomer', limit: 2 }).set(admin.auth).expect(200)).body
    expect(list.total).toBe(3)
    expect(list.members).toHaveLength(2)
    const rest = (await t.http.get('/api/admin/analytics/rfm/members').query({ to: '2026-11-29', segment: 'newcomer', offset: 2 }).set(admin.auth).expect(200)).body
    expect([...list.members, ...rest.members].map((m: { userId: string }) => m.userId).sort()).toEqual([A, C, G].map(String).sort())
    expect(rest.members.find((m: { userId: string }) => m.userId === String(C)) ?? list.members.find((m: { userId: string }) => m.userId === String(C))).toMatchObject({ lastPaidDay: '2026-11-09', orders: 1, paidFen: 1990 })
    await t.http.get('/api/admin/analytics/rfm/members').query({ to: '2026-11-29', segment: 'vip' }).set(admin.auth).expect(400)
  })

  it('refuses malformed report queries with a Chinese message, and anyone without report rights', async () => {
    const admin = await operatorLogin(t)
    for (const query of [{ steps: 'visit' }, { steps: 'visit,bogus' }, { windowDays: 0 }, { windowDays: 31 }, { from: '2026-11-15', to: '2026-11-02' }, { extra: 1 }]) {
      const res = await t.http.get('/api/admin/analytics/funnel').query({ from: '2026-11-02', to: '2026-11-15', ...query }).set(admin.auth).expect(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
    }
    await t.http.get('/api/admin/analytics/retention').query({ from: '2026-01-01', to: '2026-11-29' }).set(admin.auth).expect(400)
    await t.http.get('/api/admin/analytics/retention').query({ from: '2026-11-01', to: '2026-11-29', returning: 'login' }).set(admin.auth).expect(400)
    await t.http.get('/api/admin/analytics/funnel').query({ from: '2026-11-02', to: '2026-11-15' }).expect(401)
  })
})
