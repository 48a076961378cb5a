import { devLogin, operatorLogin, startTestApp, type TestApp } from '../../../test/harness'

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
})
