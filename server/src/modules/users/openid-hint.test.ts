import { startTestApp, type TestApp } from '../../../test/harness'
import { OpenidHintModel } from './openid-hint.model'
import { UserModel } from './user.model'
import { anonymiseUser, findOrCreateByOpenid, hintAccountsFromBefore, importMembers } from './users.service'

/** Sign-in finds the account through the openid hint; the users collection stays the truth. */
let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const now = new Date('2026-12-05T08:00:00Z')
const hintOf = async (openid: string) => (await OpenidHintModel.findById(openid).lean())?.userId.toHexString() ?? null

describe('openid hints', () => {
  it('finds an account made before hints (once the slow way), then by its hint', async () => {
    const legacy = await UserModel.create({ openid: 'wx-legacy', nickname: '老会员', createdAt: now })
    const first = await findOrCreateByOpenid({ openid: 'wx-legacy', nickname: '老会员' }, now)
    expect([first.created, first.user._id.toHexString()]).toEqual([false, legacy._id.toHexString()])
    expect(await hintOf('wx-legacy')).toBe(legacy._id.toHexString())
    const again = await findOrCreateByOpenid({ openid: 'wx-legacy', nickname: '老会员' }, now)
    expect(again.user._id.toHexString()).toBe(legacy._id.toHexString())
    expect(await UserModel.countDocuments({ openid: 'wx-legacy' })).toBe(1)
  })

  it('registers one account when first sign-ins race, and the hint names it', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => findOrCreateByOpenid({ openid: 'wx-race', nickname: '抢先' }, now)))
    const ids = new Set(results.map((r) => r.user._id.toHexString()))
    expect(ids.size).toBe(1)
    expect(results.filter((r) => r.created)).toHaveLength(1)
    expect(await hintOf('wx-race')).toBe([...ids][0])
  })

  it('never signs in to the account a stale hint names', async () => {
    const other = await findOrCreateByOpenid({ openid: 'wx-other', nickname: '别人' }, now)
    await OpenidHintModel.create({ _id: 'wx-stale', userId: other.user._id })
    const mine = await findOrCreateByOpenid({ openid: 'wx-stale', nickname: '自己' }, now)
    expect(mine.created).toBe(true)
    expect(mine.user._id.toHexString()).not.toBe(other.user._id.toHexString())
    expect(await hintOf('wx-stale')).toBe(mine.user._id.toHexString())
  })

  it('forgets the hint when the account is deleted: the next sign-in is a new member', async () => {
    const before = await findOrCreateByOpenid({ openid: 'wx-leaving', nickname: '要走' }, now)
    await anonymiseUser(before.user._id.toHexString(), now)
    expect(await OpenidHintModel.countDocuments({ userId: before.user._id })).toBe(0)
    const after = await findOrCreateByOpenid({ openid: 'wx-leaving', nickname: '回来' }, now)
    expect(after.created).toBe(true)
    expect(after.user._id.equals(before.user._id)).toBe(false)
    expect(await hintOf('wx-leaving')).toBe(after.user._id.toHexString())
  })

  it('gives accounts from before hints theirs once (not deleted ones), and imports write theirs', async () => {
    const [a, b, gone] = await UserModel.create([
      { openid: 'wx-before-a', nickname: '甲', createdAt: now },
      { openid: 'wx-before-b', nickname: '乙', createdAt: now },
      { openid: 'deleted:x', nickname: '已注销用户', createdAt: now, deletedAt: now },
    ])
    expect(await hintAccountsFromBefore()).toBeGreaterThan(0)
    expect(await hintOf('wx-before-a')).toBe(a!._id.toHexString())
    expect(await hintOf('wx-before-b')).toBe(b!._id.toHexString())
    expect(await hintOf(gone!.openid)).toBeNull()
    // Done once: a second run reads nothing.
    await UserModel.create({ openid: 'wx-after-marker', nickname: '丙', createdAt: now })
    expect(await hintAccountsFromBefore()).toBe(0)
    expect(await hintOf('wx-after-marker')).toBeNull()

    await importMembers([{ openid: 'wx-imported', nickname: '导入会员', createdAt: now }])
    const imported = await UserModel.findOne({ openid: 'wx-imported' }).lean()
    expect(await hintOf('wx-imported')).toBe(imported!._id.toHexString())
  })
})
