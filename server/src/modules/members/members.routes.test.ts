import { devLogin, operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { UserModel } from '../users/user.model'
import mongoose from 'mongoose'
import { businessDay, type UserView } from '@xianlin/shared'
import { rollupDay } from '../events/daily-metrics'
import { listUnlistedMembers, moveUnshardedMemberList } from '../users/users.service'
import { reserveMemberNumbers, writeMemberSlots } from '../users/member-directory'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

describe('运营后台 → 会员', () => {
  it('lists every member newest first, a page at a time, without skipping or repeating anyone', async () => {
    const ops = await operatorLogin(t, 'operations')
    const made = []
    for (let i = 0; i < 5; i++) made.push((await devLogin(t, { nickname: `翻页会员${i}` })).user.id as string)
    // New members join the list when the day's fold runs (every 10 minutes), not in their sign-up.
    expect((await t.http.get('/api/admin/members').query({ limit: 5 }).set(ops.auth).expect(200)).body.members.map((m: { id: string }) => m.id)).not.toContain(made[4])
    await rollupDay(businessDay(new Date(), 'Asia/Shanghai'))
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = (await t.http.get('/api/admin/members').query({ limit: 2, ...(cursor ? { cursor } : {}) }).set(ops.auth).expect(200)).body
      expect(page.members.length).toBeLessThanOrEqual(2)
      seen.push(...page.members.map((m: { id: string }) => m.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.slice(0, 5)).toEqual([...made].reverse())
    await t.http.get('/api/admin/members').query({ limit: 101 }).set(ops.auth).expect(400)
  })

  it('lists members from before the directory once the hourly catch-up numbers them, and never lists anyone twice', async () => {
    const ops = await operatorLogin(t, 'operations')
    // A member from before the member list existed: no number yet, so not listed.
    const old = await UserModel.create({ openid: 'dev:old-member', nickname: '老会员', createdAt: new Date('2025-01-01T00:00:00Z') })
    const firstPage = async () => (await t.http.get('/api/admin/members').query({ limit: 100 }).set(ops.auth).expect(200)).body.members.map((m: { id: string }) => m.id)
    expect(await firstPage()).not.toContain(old.id)
    // The hourly catch-up numbers them (once, however often it runs).
    expect(await listUnlistedMembers()).toBeGreaterThanOrEqual(1)
    expect(await listUnlistedMembers()).toBe(0)
    expect((await firstPage())[0]).toBe(old.id)

    // A crash after the slot was written but before the member got its number: the backfill lists
    // them again under a new number, and the page shows them once.
    const crashed = await UserModel.create({ openid: 'dev:crashed-member', nickname: '断电会员' })
    await writeMemberSlots([{ seq: await reserveMemberNumbers(1), view: { id: crashed.id, nickname: '断电会员', avatarUrl: null, roles: ['shopper'], storeIds: [], phoneMasked: null, createdAt: new Date().toISOString() } }])
    await listUnlistedMembers()
    const ids = await firstPage()
    expect(ids.filter((id: string) => id === crashed.id)).toHaveLength(1)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('shows a change to a member (made staff of a store) in the list at once', async () => {
    const ops = await operatorLogin(t, 'operations')
    const store = (await t.http.post('/api/admin/stores').set(ops.auth).send({ code: 'LIST-1', name: '名单店', address: '上海', hours: '08:00-22:00' }).expect(201)).body.store.id
    const clerk = await devLogin(t, { nickname: '名单店员' })
    await listUnlistedMembers()
    await t.http.put(`/api/admin/staff/${clerk.user.id}`).set(ops.auth).send({ storeIds: [store] }).expect(200)
    const listed = (await t.http.get('/api/admin/members').query({ limit: 5 }).set(ops.auth).expect(200)).body.members.find((m: { id: string }) => m.id === clerk.user.id)
    expect(listed).toMatchObject({ roles: expect.arrayContaining(['staff']), storeIds: [store] })
  })

  it('finds a member by id or nickname prefix, shows level and points, pages the ledger, and an adjustment shows up in both', async () => {
    const ops = await operatorLogin(t, 'operations')
    const a = await devLogin(t, { nickname: '会员查找甲' })
    await devLogin(t, { nickname: '会员查找乙' })
    await devLogin(t, { nickname: '别的会员' })

    const byPrefix = (await t.http.get('/api/admin/members').query({ q: '会员查找' }).set(ops.auth).expect(200)).body.members
    expect(byPrefix.map((m: { nickname: string }) => m.nickname).sort()).toEqual(['会员查找乙', '会员查找甲'].sort())
    const byId = (await t.http.get('/api/admin/members').query({ q: a.user.id }).set(ops.auth).expect(200)).body.members
    expect(byId).toMatchObject([{ id: a.user.id, nickname: '会员查找甲' }])
    const empty = await t.http.get('/api/admin/members').query({ q: ' ' }).set(ops.auth).expect(400)
    expect(empty.body.error.details[0].path).toBe('query.q')

    for (let i = 0; i < 3; i++) {
      await t.http.post('/api/admin/points/adjust').set(ops.auth).send({ userId: a.user.id, amount: 5 + i, reason: '客服补偿', idempotencyKey: `member-adjust-${i}` }).expect(200)
    }
    const profile = (await t.http.get(`/api/admin/members/${a.user.id}`).set(ops.auth).expect(200)).body
    expect(profile).toMatchObject({ user: { id: a.user.id }, points: { available: 18, pending: 0 }, membership: { level: { rank: 0 } } })

    const first = (await t.http.get(`/api/admin/members/${a.user.id}/ledger`).query({ limit: 2 }).set(ops.auth).expect(200)).body
    expect(first.entries.map((e: { amount: number }) => e.amount)).toEqual([7, 6])
    const rest = (await t.http.get(`/api/admin/members/${a.user.id}/ledger`).query({ limit: 2, cursor: first.nextCursor }).set(ops.auth).expect(200)).body
    expect(rest).toMatchObject({ entries: [{ amount: 5, balance: 5, title: '客服调整' }], nextCursor: null })

    expect((await t.http.get(`/api/admin/members/${a.user.id}/orders`).set(ops.auth).expect(200)).body).toEqual({ orders: [], nextCursor: null })
    await t.http.get('/api/admin/members/5f0000000000000000000001/orders').set(ops.auth).expect(404)
    await t.http.get('/api/admin/members/5f0000000000000000000001').set(ops.auth).expect(404)
    await t.http.get('/api/admin/members/5f0000000000000000000001/ledger').set(ops.auth).expect(404)
  })

  it('pages across the collections the list is spread over, and moves a list written before the spreading', async () => {
    const ops = await operatorLogin(t, 'operations')
    const view = (id: string, nickname: string): UserView => ({ id, nickname, avatarUrl: null, roles: ['shopper'], storeIds: [], phoneMasked: null, createdAt: new Date().toISOString() })
    const first = await reserveMemberNumbers(5100)
    const boundary = Math.ceil(first / 5000) * 5000 // the first number of a new collection
    // Ids shaped like real ones: each row is filled in with its level and points.
    const idOf = (seq: number) => seq.toString(16).padStart(24, '0')
    await writeMemberSlots([boundary - 1, boundary, boundary + 1].map((seq) => ({ seq, view: view(idOf(seq), `跨界会员${seq}`) })))
    const page = (await t.http.get('/api/admin/members').query({ limit: 3, cursor: String(boundary + 2) }).set(ops.auth).expect(200)).body
    expect(page.members.map((m: { id: string }) => m.id)).toEqual([idOf(boundary + 1), idOf(boundary), idOf(boundary - 1)])

    // A bucket as the single collection held it before: moved at startup, then listed.
    const legacy = mongoose.connection.db!.collection<{ _id: string; slots: Record<string, UserView> }>('member_directory')
    const seq = first + 5050
    await legacy.insertOne({ _id: `p${Math.floor(seq / 50)}`, slots: { [String(seq % 50)]: view(idOf(seq), '旧名单会员') } })
    expect(await moveUnshardedMemberList()).toBe(1)
    expect(await moveUnshardedMemberList()).toBe(0)
    expect((await mongoose.connection.db!.listCollections({ name: 'member_directory' }).toArray())).toHaveLength(0)
    const moved = (await t.http.get('/api/admin/members').query({ limit: 1, cursor: String(seq + 1) }).set(ops.auth).expect(200)).body
    expect(moved.members).toEqual([expect.objectContaining({ id: idOf(seq), nickname: '旧名单会员' })])
  })
})
