import { countCommands, devLogin, startTestApp, type TestApp } from '../../../test/harness'
import { GrowthEntryModel } from '../membership/growth-entry.model'
import { PointEntryModel } from '../points/point-entry.model'
import { findEvents, countEvents } from '../events/event.model'
import { CheckinModel, MakeupSlotModel } from './checkin.model'
import { UserModel } from '../users/user.model'

let now = new Date('2026-11-23T02:00:00Z')
let crash = false
let t: TestApp

beforeAll(async () => {
  t = await startTestApp(__filename, {
    clock: () => now,
    crashAt: (step) => {
      if (crash) throw new Error(`simulated crash at ${step}`)
    },
  })
})
afterAll(() => t.close())

/** Shanghai wall-clock time → the UTC instant the server sees. */
const shanghai = (local: string) => new Date(`${local}+08:00`)
let n = 0
const shopper = () => devLogin(t, { nickname: `签到${++n}` })
const balance = async (auth: Record<string, string>) => (await t.http.get('/api/points').set(auth)).body.available as number

describe('POST /api/checkins', () => {
  it('turns 50 concurrent check-ins by one user into one check-in, one points entry and one growth entry', async () => {
    now = shanghai('2026-11-23T09:00:00')
    const me = await shopper()
    const results = await Promise.all(Array.from({ length: 50 }, () => t.http.post('/api/checkins').set(me.auth)))
    expect(results.filter((r) => r.status === 201)).toHaveLength(1)
    const refused = results.filter((r) => r.status === 409)
    expect(refused).toHaveLength(49)
    expect(refused[0]!.body.error).toEqual({ code: 'ALREADY_CHECKED_IN', message: '今天已经签到过了' })
    expect(await CheckinModel.countDocuments({ userId: me.user.id })).toBe(1)
    expect(await PointEntryModel.countDocuments({ ownerId: me.user.id })).toBe(1)
    expect(await balance(me.auth)).toBe(1)
    // Growth and the event follow from the settle job, here run twice at once.
    await Promise.all([t.services.checkin.settle(now), t.services.checkin.settle(now)])
    expect(await GrowthEntryModel.countDocuments({ ownerId: me.user.id })).toBe(1)
    expect((await findEvents({ userId: me.user.id, name: 'checkin' })).map((e) => ({ props: e.props, day: e.day }))).toEqual([{ props: { day: '2026-11-23', cycleDay: 1, streak: 1 }, day: '2026-11-23' }])
    expect(await CheckinModel.findById(`${me.user.id}:2026-11-23`).lean()).toMatchObject({ rewarded: true, rewardRefused: null })
  })

  it('settles a batch of check-ins in a few commands, not several each: copies, growth, events and marks for all of them', async () => {
    now = shanghai('2026-11-23T10:00:00')
    await t.services.checkin.settle(now)
    const members = await Promise.all(Array.from({ length: 30 }, () => shopper()))
    for (const m of members) expect((await t.http.post('/api/checkins').set(m.auth)).status).toBe(201)
    const { value: settled, commands } = await countCommands(() => t.services.checkin.settle(now))
    expect(settled).toBe(30)
    // The due check-ins, their paid entries; the copies on the accounts; growth: heads, entries,
    // heads raised; the day's events (their tiers cached since the sign-ins' events); the marks.
    // Per check-in it was about five.
    expect(commands).toBe(8)
    for (const m of members) {
      expect(await UserModel.findById(m.user.id).lean()).toMatchObject({ lastCheckin: { day: '2026-11-23', streak: 1 }, pointsHead: { seq: 1, entry: { key: `checkin:${m.user.id}:2026-11-23` } } })
      expect(await GrowthEntryModel.countDocuments({ ownerId: m.user.id })).toBe(1)
      expect(await countEvents({ userId: m.user.id, name: 'checkin', day: '2026-11-23' })).toBe(1)
      expect(await CheckinModel.findById(`${m.user.id}:2026-11-23`).lean()).toMatchObject({ rewarded: true, rewardRefused: null })
    }
    expect((await findEvents({ userId: members[0]!.user.id, name: 'checkin' }))[0]).toMatchObject({ tier: 'new' })
  })

  it('settles a check-in a crash left unpaid once it is a minute old, and leaves a fresh unpaid one to its request', async () => {
    now = shanghai('2026-11-22T09:00:00')
    const me = await shopper()
    const day = '2026-11-22'
    // What a crash right after the check-in's insert leaves: the day recorded, nothing paid.
    await CheckinModel.create({ _id: `${me.user.id}:${day}`, userId: me.user.id, day, month: '2026-11', kind: 'daily', cycleDay: 1, points: 1, bonus: 0, streak: 1, rewarded: false, rewardRefused: null, makeupSlot: null, createdAt: now })
    await t.services.checkin.settle(now)
    expect(await balance(me.auth)).toBe(0)
    expect(await GrowthEntryModel.countDocuments({ ownerId: me.user.id })).toBe(0)

    const later = new Date(now.getTime() + 2 * 60_000)
    await Promise.all([t.services.checkin.settle(later), t.services.checkin.settle(later)])
    expect(await balance(me.auth)).toBe(1)
    expect(await PointEntryModel.countDocuments({ ownerId: me.user.id })).toBe(1)
    expect(await GrowthEntryModel.countDocuments({ ownerId: me.user.id })).toBe(1)
    expect(await countEvents({ userId: me.user.id, name: 'checkin', day })).toBe(1)
    expect(await CheckinModel.findById(`${me.user.id}:${day}`).lean()).toMatchObject({ rewarded: true })
    // A tap after the crash tells the truth and pays nothing more.
    expect((await t.http.post('/api/checkins').set(me.auth).expect(409)).body.error.code).toBe('ALREADY_CHECKED_IN')
    expect(await balance(me.auth)).toBe(1)
  })

  it('counts 23:59 and 00:01 in Shanghai as two days, whatever the server time zone', async () => {
    const serverZone = process.env.TZ
    process.env.TZ = 'America/Los_Angeles'
    try {
      const me = await shopper()
      now = shanghai('2026-11-24T23:59:00') // 15:59 UTC
      expect((await t.http.post('/api/checkins').set(me.auth).expect(201)).body.checkin.day).toBe('2026-11-24')
      now = shanghai('2026-11-25T00:01:00') // 16:01 UTC
      expect((await t.http.post('/api/checkins').set(me.auth).expect(201)).body.checkin).toMatchObject({ day: '2026-11-25', streak: 2 })
    } finally {
      process.env.TZ = serverZone
    }
  })

  it('pays the bonus on day 7 and starts again after a gap', async () => {
    const me = await shopper()
    const paid: number[] = []
    for (let d = 1; d <= 7; d++) {
      now = shanghai(`2026-10-0${d}T08:00:00`)
      paid.push((await t.http.post('/api/checkins').set(me.auth).expect(201)).body.checkin.points)
    }
    expect(paid).toEqual([1, 1, 1, 1, 1, 1, 11])
    now = shanghai('2026-10-09T08:00:00') // skipped the 8th
    expect((await t.http.post('/api/checkins').set(me.auth).expect(201)).body.checkin).toMatchObject({ cycleDay: 1, streak: 1, points: 1 })
    expect(await balance(me.auth)).toBe(18)
  })
})

describe('GET /api/checkins', () => {
  it('shows the month: checked days, streak, next reward, the cycle and make-ups left (from the day the member registered)', async () => {
    now = shanghai('2026-11-15T08:00:00')
    const me = await shopper()
    now = shanghai('2026-11-20T08:00:00')
    await t.http.post('/api/checkins').set(me.auth).expect(201)
    now = shanghai('2026-11-21T08:00:00')
    await t.http.post('/api/checkins').set(me.auth).expect(201)
    const res = await t.http.get('/api/checkins').query({ month: '2026-11' }).set(me.auth).expect(200)
    expect(res.body).toMatchObject({
      month: '2026-11',
      today: '2026-11-21',
      checkedToday: true,
      days: [{ day: '2026-11-20', makeup: false }, { day: '2026-11-21', makeup: false }],
      streak: 2,
      nextReward: { cycleDay: 3, points: 1 },
      cycle: [1, 1, 1, 1, 1, 1, 11],
      makeup: { used: 0, allowed: 2, costPoints: 20, from: '2026-11-15' },
      reminder: false,
    })
    await t.http.get('/api/checkins').query({ month: '2026-13' }).set(me.auth).expect(400)
  })
})

describe('POST /api/checkins/makeup', () => {
  /** A member registered at the start of the year (the clock then goes back to where it was). */
  async function longtimeMember() {
    const at = now
    now = shanghai('2026-01-01T08:00:00')
    const me = await shopper()
    now = at
    return me
  }

  async function withPoints(points: number) {
    const me = await longtimeMember()
    await t.services.points.earn({ userId: me.user.id, amount: points, source: 'admin', key: `seed:${me.user.id}` })
    return me
  }

  it('fills a missed day and restores the streak as if it had been checked', async () => {
    const me = await withPoints(100)
    now = shanghai('2026-09-10T08:00:00')
    await t.http.post('/api/checkins').set(me.auth).expect(201)
    now = shanghai('2026-09-12T08:00:00')
    await t.http.post('/api/checkins').set(me.auth).expect(201)
    const res = await t.http.post('/api/checkins/makeup').set(me.auth).send({ date: '2026-09-11' }).expect(201)
    expect(res.body.checkin).toMatchObject({ day: '2026-09-11', streak: 3 })
    expect(await balance(me.auth)).toBe(100 + 2 - 20)
    now = shanghai('2026-09-13T08:00:00')
    expect((await t.http.post('/api/checkins').set(me.auth).expect(201)).body.checkin).toMatchObject({ cycleDay: 4, streak: 4 })
  })

  it('refuses today, the future, another month, a checked day, a third make-up, and an empty purse, changing nothing', async () => {
    const me = await withPoints(100)
    now = shanghai('2026-08-20T08:00:00')
    await t.http.post('/api/checkins').set(me.auth).expect(201)
    const tryMakeup = (date: string) => t.http.post('/api/checkins/makeup').set(me.auth).send({ date })
    expect((await tryMakeup('2026-08-20')).body.error.code).toBe('MAKEUP_NOT_ALLOWED')
    expect((await tryMakeup('2026-08-25')).status).toBe(400)
    expect((await tryMakeup('2026-07-31')).status).toBe(400)
    await tryMakeup('2026-08-01').expect(201)
    expect((await tryMakeup('2026-08-01')).body.error.code).toBe('ALREADY_CHECKED_ON_DAY')
    await tryMakeup('2026-08-02').expect(201)
    const third = await tryMakeup('2026-08-03').expect(409)
    expect(third.body.error.code).toBe('MAKEUP_LIMIT_REACHED')
    expect(await balance(me.auth)).toBe(100 + 1 - 40)
    expect(await CheckinModel.countDocuments({ userId: me.user.id })).toBe(3)

    const poor = await longtimeMember()
    const broke = await t.http.post('/api/checkins/makeup').set(poor.auth).send({ date: '2026-08-05' }).expect(409)
    expect(broke.body.error.code).toBe('INSUFFICIENT_POINTS')
    expect(await MakeupSlotModel.countDocuments({ userId: poor.user.id })).toBe(0)
    expect(await CheckinModel.countDocuments({ userId: poor.user.id })).toBe(0)
  })

  it('never allows more make-ups than the monthly limit when they race', async () => {
    const me = await withPoints(200)
    now = shanghai('2026-07-28T08:00:00')
    const results = await Promise.all(
      ['2026-07-01', '2026-07-02', '2026-07-03', '2026-07-04', '2026-07-05'].map((date) =>
        t.http.post('/api/checkins/makeup').set(me.auth).send({ date }),
      ),
    )
    expect(results.filter((r) => r.status === 201)).toHaveLength(2)
    expect(await balance(me.auth)).toBe(160)
  })

  it('completes a make-up interrupted after its payment, once, when the recovery job runs', async () => {
    const me = await withPoints(50)
    now = shanghai('2026-06-15T08:00:00')
    crash = true
    await t.http.post('/api/checkins/makeup').set(me.auth).send({ date: '2026-06-14' }).expect(500)
    crash = false
    expect(await CheckinModel.countDocuments({ userId: me.user.id })).toBe(0)

    now = new Date(now.getTime() + 2 * 60_000)
    await Promise.all([t.services.checkin.recover(now), t.services.checkin.recover(now)])
    expect(await CheckinModel.findById(`${me.user.id}:2026-06-14`).lean()).toMatchObject({ kind: 'makeup' })
    expect(await MakeupSlotModel.find({ userId: me.user.id }).lean()).toMatchObject([{ state: 'done' }])
    expect(await balance(me.auth)).toBe(30)
    expect(await PointEntryModel.countDocuments({ ownerId: me.user.id, type: 'spend' })).toBe(1)
  })

  it('releases a make-up slot whose payment never happened', async () => {
    const me = await withPoints(50)
    now = shanghai('2026-05-15T08:00:00')
    await MakeupSlotModel.create({ _id: `${me.user.id}:2026-05:1`, userId: me.user.id, day: '2026-05-10', state: 'claimed', createdAt: now })
    now = new Date(now.getTime() + 2 * 60_000)
    expect(await t.services.checkin.recover(now)).toMatchObject({ released: 1 })
    expect(await MakeupSlotModel.countDocuments({ userId: me.user.id })).toBe(0)
    expect(await balance(me.auth)).toBe(50)
  })
})

describe('POST /api/checkins/reminder', () => {
  it('stores the reminder choice and counts consents', async () => {
    const me = await shopper()
    await t.http.post('/api/checkins/reminder').set(me.auth).send({ enabled: true, templateId: 'tmpl-checkin' }).expect(200)
    expect((await t.http.get('/api/checkins').set(me.auth)).body.reminder).toBe(true)
    await t.http.post('/api/checkins/reminder').set(me.auth).send({ enabled: false }).expect(200)
    expect((await t.http.get('/api/checkins').set(me.auth)).body.reminder).toBe(false)
    await t.http.post('/api/checkins/reminder').set(me.auth).send({ enabled: 'yes' }).expect(400)
  })
})
