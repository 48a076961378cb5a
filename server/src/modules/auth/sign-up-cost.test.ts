import { Types } from 'mongoose'
import { countCommands, operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { findEvents } from '../events/event.model'
import { businessDay } from '@xianlin/shared'
import { listUnlistedMembers } from '../users/users.service'
import { rollupDay } from '../events/daily-metrics'

/**
 * Signing up is the first step of every growth path: it costs six database commands (the rate
 * limit, the openid's hint, the account, the hint pointed at it, the register and login events in
 * one insert, the refresh token); numbering and listing the member for the console is the day's fold's.
 */
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
  await t.http.post('/api/auth/dev').send({ nickname: '热身会员' }).expect(200) // indexes and caches warm
})
afterAll(() => t.close())

describe('signing up', () => {
  it('costs six database commands; the batch lists the member for the console afterwards', async () => {
    const { value: res, commands } = await countCommands(() => t.http.post('/api/auth/dev').send({ nickname: '六条命令' }))
    expect(res.status).toBe(200)
    expect(commands).toBe(6)
    const id = res.body.user.id as string
    const events = (await findEvents({ userId: new Types.ObjectId(id) })).map((e) => ({ name: e.name, tier: e.tier }))
    expect(events).toEqual([{ name: 'register', tier: 'new' }, { name: 'login', tier: 'new' }])

    // Signing in again registers nobody twice.
    await t.http.post('/api/auth/dev').send({ nickname: '六条命令' }).expect(200)
    expect((await findEvents({ userId: new Types.ObjectId(id), name: 'register' })).length).toBe(1)

    // The day's fold lists them for the console (once, however many folds run at once).
    const today = businessDay(new Date(), 'Asia/Shanghai')
    await Promise.all([rollupDay(today), rollupDay(today)])
    expect(await listUnlistedMembers()).toBe(0)
    const admin = await operatorLogin(t)
    const page = (await t.http.get('/api/admin/members').query({ limit: 5 }).set(admin.auth).expect(200)).body
    expect(page.members[0]).toMatchObject({ id, nickname: '六条命令' })
    expect(new Set(page.members.map((m: { id: string }) => m.id)).size).toBe(page.members.length)
  })
})
