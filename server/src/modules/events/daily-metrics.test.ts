import mongoose, { Types } from 'mongoose'
import { operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { metricsBetween, moveMetricRows, moveShareOpensBy, rollupDay, shareOpensBySharer } from './daily-metrics'
import { countEvents, eventDays, eventsOfDay, moveUndividedEvents } from './event.model'
import { membersByDay, moveDaySets, registeredOn } from './member-sets'
import { channelsOf, numberMembers, numbersOf } from './member-profiles'
import { MemberSet } from './member-set'
import { registrationsBy } from './registrations'
import { moveDayPayments, paymentsBetween } from './member-payments'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const [a, b, c] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()]
const at = (iso: string) => new Date(iso)
const orderId = () => new Types.ObjectId().toHexString()

describe('daily rollups and the trend report', () => {
  it('matches a hand count over a small history, with the business day deciding 23:59 from 00:01 (Shanghai)', async () => {
    const track = t.services.events.track
    // 10 November (Shanghai): A registers at 23:59 local (15:59 UTC); B registers, checks in and pays ¥10.
    await track({ userId: a, name: 'register', props: { source: 'wechat', channel: 'invite' }, at: at('2026-11-10T15:59:00Z') })
    await track({ userId: b, name: 'register', props: { source: 'wechat', channel: 'organic' }, at: at('2026-11-10T02:00:00Z') })
    await track({ userId: b, name: 'checkin', props: { day: '2026-11-10', cycleDay: 1, streak: 1 }, at: at('2026-11-10T02:05:00Z') })
    await track({ userId: b, name: 'payment', props: { orderId: orderId(), fen: 1000 }, at: at('2026-11-10T03:00:00Z') })
    // 11 November: A pays ¥30 at 00:01 local (16:01 UTC on the 10th); C signs in; B pays ¥20 (B's second day paying: a repurchase).
    await track({ userId: a, name: 'payment', props: { orderId: orderId(), fen: 3000 }, at: at('2026-11-10T16:01:00Z') })
    await track({ userId: c, name: 'login', props: { source: 'wechat' }, at: at('2026-11-11T05:00:00Z') })
    // Folded once before B's payment arrives (incremental), then again after it.
    await rollupDay('2026-11-11')
    await track({ userId: b, name: 'payment', props: { orderId: orderId(), fen: 2000 }, at: at('2026-11-11T06:00:00Z') })
    for (const day of ['2026-11-10', '2026-11-11', '2026-11-12']) await Promise.all([rollupDay(day), rollupDay(day)]) // two instances at once

    const admin = await operatorLogin(t)
    const report = async () => (await t.http.get('/api/admin/analytics/trend').query({ from: '2026-11-10', to: '2026-11-12' }).set(admin.auth).expect(200)).body
    const expected = {
      from: '2026-11-10',
      to: '2026-11-12',
      days: [
        // Money comes from the orders and refunds (as 概览's cards): these payments are events only.
        { day: '2026-11-10', dau: 2, wau: 2, mau: 2, newMembers: 2, payingMembers: 1, repeatPayingMembers: 0, paidFen: 0, refundedFen: 0, netFen: 0, averageOrderFen: 0 },
        { day: '2026-11-11', dau: 3, wau: 3, mau: 3, newMembers: 0, payingMembers: 2, repeatPayingMembers: 1, paidFen: 0, refundedFen: 0, netFen: 0, averageOrderFen: 0 },
        { day: '2026-11-12', dau: 0, wau: 3, mau: 3, newMembers: 0, payingMembers: 0, repeatPayingMembers: 0, paidFen: 0, refundedFen: 0, netFen: 0, averageOrderFen: 0 },
      ],
    }
    expect(await report()).toEqual(expected)
    expect((await metricsBetween('2026-11-10', '2026-11-10', ['new_members'])).get('2026-11-10|new_members|invite')).toBe(1)
    const paid = await metricsBetween('2026-11-10', '2026-11-12', ['paid_fen'])
    expect([paid.get('2026-11-10|paid_fen|all'), paid.get('2026-11-11|paid_fen|all'), paid.get('2026-11-12|paid_fen|all')]).toEqual([1000, 5000, 0])

    // Rebuilding the days from raw events gives the same figures as the incremental folding.
    await mongoose.connection.db!.collection('daily_metric_days').deleteMany({ _id: { $in: ['2026-11-10', '2026-11-11', '2026-11-12'] as never[] } })
    expect(await report()).not.toEqual(expected)
    for (const day of ['2026-11-10', '2026-11-11', '2026-11-12']) await rollupDay(day)
    expect(await report()).toEqual(expected)
    // Days folded before folds counted weekly and monthly actives: the report counts them from the day sets.
    await mongoose.connection.db!.collection('daily_metric_days').updateOne({ _id: '2026-11-12' as never }, { $unset: { 'values.weekly_active_members|all': '', 'values.monthly_active_members|all': '' } })
    expect((await metricsBetween('2026-11-12', '2026-11-12', ['weekly_active_members'])).size).toBe(0)
    expect(await report()).toEqual(expected)
  })

  it('refuses a range backwards or longer than 93 days, and anyone without report rights', async () => {
    const admin = await operatorLogin(t)
    await t.http.get('/api/admin/analytics/trend').query({ from: '2026-11-12', to: '2026-11-10' }).set(admin.auth).expect(400)
    await t.http.get('/api/admin/analytics/trend').query({ from: '2026-01-01', to: '2026-12-31' }).set(admin.auth).expect(400)
    await t.http.get('/api/admin/analytics/trend').query({ from: '2026-11-10', to: '2026-11-12' }).expect(401)
  })

  it('keeps each business day in its own collection, and moves events kept in one collection into theirs once', async () => {
    const d = new Types.ObjectId()
    await t.services.events.track({ userId: d, name: 'login', props: { source: 'wechat' }, at: at('2026-11-20T15:59:00Z') }) // 23:59 on the 20th
    await t.services.events.track({ userId: d, name: 'login', props: { source: 'wechat' }, at: at('2026-11-20T16:01:00Z') }) // 00:01 on the 21st
    expect(await eventsOfDay('2026-11-20').countDocuments({ userId: d })).toBe(1)
    expect(await eventsOfDay('2026-11-21').countDocuments({ userId: d })).toBe(1)

    // Events from before the split: one collection for all days, folded only once moved.
    const undivided = mongoose.connection.db!.collection('events')
    const old = (day: string, hour: string) => ({ _id: new Types.ObjectId(), userId: d, name: 'payment', props: { orderId: orderId(), fen: 500 }, at: at(`${day}T${hour}:00:00+08:00`), day, tier: null })
    await undivided.insertMany([old('2026-11-05', '09'), old('2026-11-05', '10'), old('2026-11-06', '09')])
    const before = await countEvents()
    expect(await moveUndividedEvents()).toBe(3)
    expect(await moveUndividedEvents()).toBe(0) // gone: nothing to move again
    expect(await mongoose.connection.db!.listCollections({ name: 'events' }).toArray()).toEqual([])
    expect(await countEvents()).toBe(before + 3)
    expect(await eventDays()).toEqual(expect.arrayContaining(['2026-11-05', '2026-11-06', '2026-11-20', '2026-11-21']))
    await rollupDay('2026-11-05')
    expect((await metricsBetween('2026-11-05', '2026-11-05', ['paid_fen'])).get('2026-11-05|paid_fen|all')).toBe(1000)

    // Metrics kept one document per (day, metric, dimension) move into their days once; a day folded since keeps its own.
    await mongoose.connection.db!.collection('daily_metrics').insertMany([
      { _id: '2026-09-01|paid_fen|all' as never, day: '2026-09-01', metric: 'paid_fen', dim: 'all', value: 700 },
      { _id: '2026-09-01|new_members|leader' as never, day: '2026-09-01', metric: 'new_members', dim: 'leader', value: 2 },
      { _id: '2026-11-05|paid_fen|all' as never, day: '2026-11-05', metric: 'paid_fen', dim: 'all', value: 1 },
    ])
    expect(await moveMetricRows()).toBe(2)
    expect(await moveMetricRows()).toBe(0)
    expect(await metricsBetween('2026-09-01', '2026-09-01', ['paid_fen', 'new_members'])).toEqual(new Map([['2026-09-01|paid_fen|all', 700], ['2026-09-01|new_members|leader', 2]]))
    expect((await metricsBetween('2026-11-05', '2026-11-05', ['paid_fen'])).get('2026-11-05|paid_fen|all')).toBe(1000)
  })

  it('moves payments kept a document a day (as a string or an array) or a month into day lists once; a fold of the day then recounts it', async () => {
    const [x, y] = [new Types.ObjectId(), new Types.ObjectId()]
    const db = mongoose.connection.db!
    await db.collection('daily_member_payments').insertMany([
      { _id: '2026-10-05' as never, payments: [{ u: x, n: 2, fen: 3000 }] },
      { _id: '2026-10-06' as never, payers: `${y}:1:500 ${x}:1:100` },
    ])
    await db.collection('monthly_member_payments').insertOne({ _id: '2026-10' as never, days: { '07': `${x}:1:40` } })
    expect(await moveDayPayments()).toBe(3)
    expect(await moveDayPayments()).toBe(0)
    expect(await paymentsBetween('2026-10-05', '2026-10-07')).toEqual(
      new Map([
        [String(x), { orders: 4, paidFen: 3140, lastPaidDay: '2026-10-07' }],
        [String(y), { orders: 1, paidFen: 500, lastPaidDay: '2026-10-06' }],
      ]),
    )

    await t.services.events.track({ userId: x, name: 'payment', props: { orderId: orderId(), fen: 1200 }, at: at('2026-10-05T03:00:00Z') })
    await rollupDay('2026-10-05') // a recount from the day's events: only x's one payment is there now
    expect(await paymentsBetween('2026-10-05', '2026-10-05')).toEqual(new Map([[String(x), { orders: 1, paidFen: 1200, lastPaidDay: '2026-10-05' }]]))
    expect((await paymentsBetween('2026-10-06', '2026-10-06')).get(String(y))).toEqual({ orders: 1, paidFen: 500, lastPaidDay: '2026-10-06' }) // its month's other days are kept
  })

  it("moves each sharer's opens, kept before among a day's figures, into the day's list once", async () => {
    const [x, y] = [new Types.ObjectId(), new Types.ObjectId()]
    const days = mongoose.connection.db!.collection('daily_metric_days')
    await days.insertOne({ _id: '2026-08-03' as never, values: { 'share_opens|all': 5, [`share_opens_by|${x}`]: 3, [`share_opens_by|${y}`]: 2 } })
    expect(await moveShareOpensBy()).toBe(1)
    expect(await moveShareOpensBy()).toBe(0)
    expect(await shareOpensBySharer(['2026-08-03'])).toEqual(new Map([[String(x), 3], [String(y), 2]]))
    expect((await days.findOne({ _id: '2026-08-03' as never }))!.values).toEqual({ 'share_opens|all': 5 })
  })

  it('moves day sets kept a document a day (as ObjectIds or bitmaps) into month documents of member numbers once, with the register channels the profiles know', async () => {
    const [x, y, z] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()]
    const db = mongoose.connection.db!
    // x and y were numbered by a fold; z has a profile from before numbers.
    await t.services.events.track({ userId: x, name: 'register', props: { source: 'wechat', channel: 'invite' }, at: at('2026-09-20T03:00:00Z') })
    await t.services.events.track({ userId: y, name: 'visit', props: { page: 'home' }, at: at('2026-09-20T04:00:00Z') })
    await rollupDay('2026-09-20')
    await db.collection('member_profiles').insertOne({ _id: z, registeredDay: '2026-09-24', channel: 'poster', firstActiveDay: '2026-09-24', lastActiveDay: '2026-09-25' })
    await db.collection('daily_member_sets').insertMany([
      { _id: '2026-09-24|register' as never, day: '2026-09-24', kind: 'register', ids: String(z) },
      { _id: '2026-09-25|any' as never, day: '2026-09-25', kind: 'any', users: [x, z] },
      { _id: '2026-09-26|any' as never, day: '2026-09-26', kind: 'any', ids: `${y}${x}` },
      { _id: '2026-09-27|register' as never, day: '2026-09-27', kind: 'register', ids: `${y}${x}`, channels: 'lo' },
      { _id: '2026-09-28|any' as never, day: '2026-09-28', kind: 'any', bits: Buffer.from(MemberSet.of([3, 9]).bytes()) },
    ])
    expect((await membersByDay('any', '2026-09-20', '2026-09-30')).get('2026-09-25')).toBeUndefined() // not read until moved

    expect(await moveDaySets(numberMembers, channelsOf)).toBe(5)
    expect(await moveDaySets(numberMembers, channelsOf)).toBe(0)
    const no = await numbersOf([String(x), String(y), String(z)])
    expect(new Set(no.values()).size).toBe(3)
    const [nx, ny, nz] = [no.get(String(x))!, no.get(String(y))!, no.get(String(z))!]
    const sets = await membersByDay('any', '2026-09-25', '2026-09-26')
    expect([...sets.get('2026-09-25')!]).toEqual([nx, nz].sort((p, q) => p - q))
    expect([...sets.get('2026-09-26')!]).toEqual([nx, ny].sort((p, q) => p - q))
    expect([...(await membersByDay('any', '2026-09-28', '2026-10-31')).get('2026-09-28')!]).toEqual([3, 9])
    const registered = await registeredOn(['2026-09-24', '2026-09-27'])
    expect(registered.get(nz)).toEqual({ day: '2026-09-24', channel: 'poster' })
    expect(registered.get(ny)).toEqual({ day: '2026-09-27', channel: 'leader' })
    expect(registered.get(nx)).toEqual({ day: '2026-09-27', channel: 'organic' })
    // The reports find the moved register days.
    const reportsSee = await registrationsBy('2026-09-30')
    for (const n of [ny, nz]) expect(reportsSee.get(n)).toEqual(registered.get(n))
    expect(reportsSee.get(nx)).toEqual({ day: '2026-09-20', channel: 'invite' }) // x's first registration, folded earlier
  })

  it('gives each member one number when two folds number the same members at once', async () => {
    const ids = Array.from({ length: 120 }, () => new Types.ObjectId())
    await mongoose.connection.db!.collection('member_profiles').insertMany(ids.map((_id) => ({ _id, firstActiveDay: '2026-09-01' })))
    const hex = ids.map(String)
    const [first, second] = await Promise.all([numberMembers(hex), numberMembers([...hex].reverse())])
    expect(first).toEqual(second)
    expect(await numbersOf(hex)).toEqual(first)
    expect(new Set(first.values()).size).toBe(120)
    expect(await numberMembers(hex)).toEqual(first) // numbered members keep their numbers
  })

})
