import mongoose from 'mongoose'
import { EVENT_CATALOGUE, addDays, type EventName } from '@xianlin/shared'
import { operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { countEvents } from './event.model'
import { UserModel } from '../users/user.model'
import { membersByDay } from './member-sets'
import { ensureSyntheticHistory, memberEvents, rebuildDays, syntheticNickname, writeSyntheticHistory } from './synthetic-history'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename, { clock: () => new Date('2026-12-01T10:00:00+08:00') })
})
afterAll(() => t.close())

const history = { members: 60, days: 40, endDay: '2026-11-30', timeZone: 'Asia/Shanghai' }

describe('synthetic growth history (demo and benchmarks)', () => {
  it('is the same every time, and every event is one the catalogue allows, on its own business day', () => {
    const first = [...memberEvents(7, history)]
    expect([...memberEvents(7, history)]).toEqual(first)
    const all = Array.from({ length: history.members }, (_, i) => [...memberEvents(i, history)]).flat()
    expect(all.filter((e) => e.name === 'register')).toHaveLength(history.members)
    for (const e of all) {
      expect(EVENT_CATALOGUE[e.name as EventName].props.safeParse(e.props).success).toBe(true)
      expect(e.day >= '2026-10-22' && e.day <= '2026-11-30').toBe(true)
      expect(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(e.at)).toBe(e.day)
    }
    expect(new Set(all.map((e) => e.name))).toEqual(new Set(['visit', 'register', 'checkin', 'product_view', 'group_open', 'group_join', 'group_success', 'group_fail', 'payment', 'pickup', 'share', 'share_open']))
  })

  it('is written once, folded as it is written the same as from the stored events, and gives the reports something to show', async () => {
    const made = await ensureSyntheticHistory(history)
    expect(made!.events).toBeGreaterThan(300)
    expect(await ensureSyntheticHistory(history)).toBeNull() // once per database
    expect(await countEvents()).toBe(made!.events)

    const admin = await operatorLogin(t)
    const reports = async () => ({
      trend: (await t.http.get('/api/admin/analytics/trend').query({ from: '2026-10-22', to: '2026-11-30' }).set(admin.auth).expect(200)).body,
      retention: (await t.http.get('/api/admin/analytics/retention').query({ from: '2026-10-22', to: '2026-11-30' }).set(admin.auth).expect(200)).body,
      funnel: (await t.http.get('/api/admin/analytics/funnel').query({ from: '2026-11-01', to: '2026-11-30' }).set(admin.auth).expect(200)).body,
    })
    const folded = await reports()
    expect(folded.trend.days.reduce((n: number, d: { newMembers: number }) => n + d.newMembers, 0)).toBe(history.members)
    expect(folded.retention.cohorts.reduce((n: number, c: { size: number }) => n + c.size, 0)).toBe(history.members)
    expect(folded.funnel.reached[0]).toBeGreaterThan(0)
    // Members active over the 7 and 30 days ending each day, against a union of each window's day sets.
    const sets = await membersByDay('any', addDays('2026-10-22', -29), '2026-11-30')
    const union = (day: string, n: number) => new Set(Array.from({ length: n }, (_, i) => [...(sets.get(addDays(day, -i)) ?? [])]).flat()).size
    const windows = folded.trend.days.map((d: { day: string; wau: number; mau: number }) => [d.wau, d.mau])
    expect(windows).toEqual(folded.trend.days.map((d: { day: string }) => [union(d.day, 7), union(d.day, 30)]))
    expect(new Set(windows.map(([wau]: number[]) => wau)).size).toBeGreaterThan(5) // windows that really move
    // The job's path (each day read back from the stored events, profiles in the database) agrees
    // with folding in hand (profiles in memory, written once), member profiles included.
    const profiles = () => mongoose.connection.db!.collection('member_profiles').find({}).sort({ _id: 1 }).toArray()
    const foldedProfiles = await profiles()
    expect(foldedProfiles).toHaveLength(history.members)
    expect(new Set(foldedProfiles.map((p) => p.no)).size).toBe(history.members)
    expect(foldedProfiles.filter((p) => p.orders180 > 0).length).toBeGreaterThan(5)
    await rebuildDays('2026-10-22', '2026-11-30')
    expect(await reports()).toEqual(folded)
    expect(await profiles()).toEqual(foldedProfiles)
    // Written and folded again (a second `seed:history`) over profiles gone stale: it finds them and
    // brings them back to the same.
    await mongoose.connection.db!.collection('member_profiles').updateMany({}, { $set: { lastActiveDay: '2000-01-01' } })
    await writeSyntheticHistory(history, { fold: true })
    expect(await profiles()).toEqual(foldedProfiles)
    expect(await reports()).toEqual(folded)
  })

  it('makes its members members, registered when their history says, whom the demo login signs in as by nickname', async () => {
    const users = await UserModel.find({}).lean()
    expect(users).toHaveLength(history.members)
    expect(new Set(users.map((u) => u.nickname)).size).toBe(history.members)
    const first = [...memberEvents(3, history)].find((e) => e.name === 'register')!
    const member = users.find((u) => String(u._id) === String(first.userId))!
    expect(member.nickname).toBe(syntheticNickname(3))
    expect(member.createdAt).toEqual(first.at)

    const login = await t.http.post('/api/auth/dev').send({ nickname: syntheticNickname(3) }).expect(200)
    expect(login.body.user.id).toBe(String(first.userId))
    // Written again, the history adds no member twice.
    await writeSyntheticHistory(history, { fold: false })
    expect(await UserModel.countDocuments({})).toBe(history.members)
  })
})
