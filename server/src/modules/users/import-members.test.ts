import { Types } from 'mongoose'
import { operatorLogin, startTestApp, type TestApp } from '../../../test/harness'
import { importMembers } from './users.service'
import { UserModel } from './user.model'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

describe('importing members', () => {
  it('adds nobody twice when a batch is written again (a replay, or a write the driver retried), and lists each once', async () => {
    const docs = Array.from({ length: 6 }, (_, i) => ({ _id: new Types.ObjectId(), openid: `import:${i}`, nickname: `导入会员${i}`, createdAt: new Date('2026-11-01T00:00:00Z') }))
    await importMembers(docs.slice(0, 4))
    await importMembers(docs) // four already there, two new
    expect(await UserModel.countDocuments({ openid: /^import:/ })).toBe(6)
    const admin = await operatorLogin(t)
    const listed = (await t.http.get('/api/admin/members').query({ limit: 50 }).set(admin.auth).expect(200)).body.members.map((m: { id: string }) => m.id)
    expect(listed.filter((id: string) => docs.some((d) => String(d._id) === id)).sort()).toEqual(docs.map((d) => String(d._id)).sort())
    expect(new Set(listed).size).toBe(listed.length)
  })
})
