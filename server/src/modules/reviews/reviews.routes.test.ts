import mongoose from 'mongoose'
import sharp from 'sharp'
import { startTestApp, type TestApp } from '../../../test/harness'
import { fakeWechatEnv, startFakeWechat, wechatSignIn, type FakeWechat } from '../../../test/fake-wechat'
import { groupbuyFixtures, type Person } from '../../../test/groupbuy-fixtures'
import { AuditLogModel } from '../audit/audit-log.model'
import { GrowthEntryModel } from '../membership/growth-entry.model'
import { PointEntryModel } from '../points/point-entry.model'
import { purgeUnattachedPhotos, recordPhotosFromBefore } from '../photos/photos.service'
import { PhotoRefModel } from '../photos/photo-ref.model'

const now = new Date('2026-11-23T04:00:00Z')
let t: TestApp
let wx: FakeWechat
const f = groupbuyFixtures(() => t, () => now)
let clerk: Person

beforeAll(async () => {
  wx = await startFakeWechat()
  t = await startTestApp(__filename, { clock: () => now, fakePay: true, env: fakeWechatEnv(wx) })
  await f.setUp()
  clerk = await f.staffAt(f.storeId, '评价店员')
  wx.judge('违禁', 'risky')
  wx.judge('待定', 'review')
})
afterAll(async () => {
  await t.close()
  await wx.close()
})

let n = 0
/** A shopper signed in through WeChat (so WeChat's content check applies to their text). */
const shopper = (): Promise<Person> => wechatSignIn(t.http, wx, `o-review-${++n}`)
/** A solo order, paid and (unless `pickedUp` is false) handed over at the store. */
const order = (who: Person, pickedUp = true) => f.soloOrder(who, pickedUp ? clerk : undefined)
/** A phone photo: JPEG with EXIF (camera, orientation) that must not survive the upload. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 900, channels: 3, background: '#c84' } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Make: 'TestPhone', Model: 'X1' } } })
    .toBuffer()
}
const upload = async (who: Person) => (await t.http.post('/api/review-photos').set(who.auth).set('content-type', 'image/jpeg').send(await phonePhoto()).expect(201)).body.photo.id as string
const review = (who: Person, orderId: string, body: Record<string, unknown>) => t.http.post(`/api/orders/${orderId}/review`).set(who.auth).send(body)
const productReviews = async () => (await t.http.get(`/api/products/${f.productId}/reviews`).expect(200)).body

describe('评价/晒单', () => {
  it('reviews a picked-up order with photos; of 5 concurrent first reviews one is kept and rewarded once; it shows on the product page', async () => {
    const me = await shopper()
    const orderId = await order(me)
    const photo = await upload(me)
    const tries = await Promise.all(Array.from({ length: 5 }, () => review(me, orderId, { rating: 5, text: '芒果很甜，个头大，下次还买', photoIds: [photo] })))
    expect(tries.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409])
    for (const r of tries.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('ALREADY_REVIEWED')
    expect(tries.find((r) => r.status === 201)!.body.review).toMatchObject({ state: 'visible', rating: 5, pointsEarned: 5, photos: [photo] })
    expect(await PointEntryModel.countDocuments({ key: `review:points:${orderId}` })).toBe(1)
    expect(await GrowthEntryModel.countDocuments({ key: `review:growth:${orderId}` })).toBe(1)
    const notices = (await t.http.get('/api/notices').set(me.auth).expect(200)).body.notices
    expect(notices.filter((x: { kind: string }) => x.kind === 'review_reward')).toEqual([expect.objectContaining({ title: '评价奖励到账', body: '感谢晒单，你获得 5 积分、5 成长值' })])
    // WeChat checked the text as a comment, for this member.
    expect(wx.calls.find((c) => c.path === '/wxa/msg_sec_check')?.body).toMatchObject({ version: 2, scene: 2, openid: `o-review-${n}`, content: '芒果很甜，个头大，下次还买' })

    const page = await productReviews()
    expect(page.reviews.find((r: { id: string }) => r.id === orderId)).toMatchObject({ rating: 5, text: '芒果很甜，个头大，下次还买', photos: [photo], author: expect.stringContaining('*') })
    expect(page.summary.count).toBeGreaterThanOrEqual(1)
    // The photo is served resized, upright, and without the camera's metadata.
    const served = await t.http.get(`/api/photos/${photo}/large`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => cb(null, Buffer.concat(chunks)))
    }).expect(200)
    const meta = await sharp(served.body as Buffer).metadata()
    expect(meta.exif).toBeUndefined()
    expect([meta.width, meta.height]).toEqual([900, 1200]) // turned by the EXIF orientation
  })

  it('refuses before pickup, on another member\'s order, with another member\'s photo, banned words, risky or too long text, changing nothing', async () => {
    const me = await shopper()
    const other = await shopper()
    const waiting = await order(me, false)
    expect((await review(me, waiting, { rating: 4, text: '还没取到' }).expect(409)).body.error.code).toBe('REVIEW_NOT_ALLOWED')
    const orderId = await order(me)
    expect((await review(other, orderId, { rating: 1, text: '不是我的单' }).expect(404)).body.error.code).toBe('NOT_FOUND')
    const theirs = await upload(other)
    expect((await review(me, orderId, { rating: 4, text: '好吃', photoIds: [theirs] }).expect(422)).body.error.code).toBe('PHOTO_NOT_FOUND')
    expect((await review(me, orderId, { rating: 4, text: '好吃，加微信领返现' }).expect(422)).body.error.code).toBe('REVIEW_TEXT_REFUSED')
    expect((await review(me, orderId, { rating: 4, text: '这是违禁内容' }).expect(422)).body.error).toMatchObject({ code: 'REVIEW_TEXT_REFUSED', message: expect.stringMatching(/[\u4e00-\u9fa5]/) })
    expect((await review(me, orderId, { rating: 4, text: '好'.repeat(501) }).expect(422)).body.error.code).toBe('REVIEW_TOO_LONG')
    await review(me, orderId, { rating: 6, text: '六星' }).expect(400)
    await review(me, orderId, { rating: 5, text: '七张图', photoIds: Array(7).fill(theirs) }).expect(400)
    expect((await t.http.get(`/api/orders/${orderId}/review`).set(me.auth).expect(200)).body.review).toBeNull()
    // A corrected review is accepted afterwards.
    await review(me, orderId, { rating: 4, text: '好吃，新鲜' }).expect(201)
  })

  it('holds a review WeChat wants checked until an operator publishes it, then pays once; a hidden review leaves the product page and keeps its reward', async () => {
    const me = await shopper()
    const orderId = await order(me)
    const held = (await review(me, orderId, { rating: 3, text: '待定的内容，还行吧' }).expect(201)).body.review
    expect(held).toMatchObject({ state: 'pending', pointsEarned: 0 })
    expect((await productReviews()).reviews.map((r: { id: string }) => r.id)).not.toContain(orderId)
    const queue = (await t.http.get('/api/admin/reviews').set(f.admin.auth).expect(200)).body.reviews
    expect(queue.find((r: { orderId: string }) => r.orderId === orderId)).toMatchObject({ state: 'pending', moderation: { suggest: 'review', label: 20003 } })
    const publishes = await Promise.all([1, 2, 3].map(() => t.http.post(`/api/admin/reviews/${orderId}/publish`).set(f.admin.auth)))
    expect(publishes.map((r) => r.status).sort()).toEqual([204, 404, 404])
    expect(await PointEntryModel.countDocuments({ key: `review:points:${orderId}` })).toBe(1)
    expect((await productReviews()).reviews.map((r: { id: string }) => r.id)).toContain(orderId)

    await t.http.post(`/api/admin/reviews/${orderId}/hide`).set(f.admin.auth).send({ reason: '与商品无关' }).expect(204)
    expect((await productReviews()).reviews.map((r: { id: string }) => r.id)).not.toContain(orderId)
    expect(await PointEntryModel.countDocuments({ key: `review:points:${orderId}` })).toBe(1)
    expect(await AuditLogModel.countDocuments({ action: 'review.hide', targetId: orderId })).toBe(1)
    expect((await t.http.get(`/api/orders/${orderId}/review`).set(me.auth).expect(200)).body.review).toMatchObject({ state: 'hidden' })
    await t.http.get('/api/admin/reviews').set(me.auth).expect(401)
  })
})

describe('review photos are private until published', () => {
  const get = (id: string, auth?: Record<string, string>, size = 'thumb') => (auth ? t.http.get(`/api/photos/${id}/${size}`).set(auth) : t.http.get(`/api/photos/${id}/${size}`))

  it('gives unguessable ids: two uploads a moment apart share no part to step along', async () => {
    const me = await shopper()
    const [a, b] = [await upload(me), await upload(me)]
    expect(a).toMatch(/^[0-9a-f]{24}$/)
    // An ordinary ObjectId is its second, a value fixed per process, then a counter: ids from one
    // server share those middle 10 digits, and step by one at the end.
    expect(a.slice(8, 18)).not.toBe(b.slice(8, 18))
  })

  it('serves a photo not yet in a review to its uploader only; anyone else, signed in or not, gets 404', async () => {
    const me = await shopper()
    const other = await shopper()
    const photo = await upload(me)
    await get(photo).expect(404)
    expect((await get(photo, other.auth).expect(404)).body.error.code).toBe('NOT_FOUND')
    const mine = await get(photo, me.auth).expect(200)
    expect(mine.headers['content-type']).toBe('image/jpeg')
    expect(mine.headers['cache-control']).toBe('private, no-store')
  })

  it('serves a published review\'s photos to everyone, a held or hidden one\'s to its author and the console only', async () => {
    const me = await shopper()
    const published = await upload(me)
    await review(me, await order(me), { rating: 5, text: '很新鲜', photoIds: [published] }).expect(201)
    await get(published).expect(200)

    const heldPhoto = await upload(me)
    const heldOrder = await order(me)
    await review(me, heldOrder, { rating: 3, text: '待定的图片评价', photoIds: [heldPhoto] }).expect(201)
    await get(heldPhoto).expect(404)
    await get(heldPhoto, me.auth).expect(200)
    await t.http.get(`/api/admin/photos/${heldPhoto}/thumb`).set(f.admin.auth).expect(200)
    await t.http.get(`/api/admin/photos/${heldPhoto}/thumb`).set(me.auth).expect(401)

    const hiddenOrder = await order(me)
    const hiddenPhoto = await upload(me)
    await review(me, hiddenOrder, { rating: 1, text: '图片不合适', photoIds: [hiddenPhoto] }).expect(201)
    await get(hiddenPhoto).expect(200)
    await t.http.post(`/api/admin/reviews/${hiddenOrder}/hide`).set(f.admin.auth).send({ reason: '图片与商品无关' }).expect(204)
    await get(hiddenPhoto).expect(404)
    await get(hiddenPhoto, (await shopper()).auth).expect(404)
    await t.http.get(`/api/admin/photos/${hiddenPhoto}/large`).set(f.admin.auth).expect(200)
  })

  it('removes uploads never put in a review after 24 hours, keeping those in reviews', async () => {
    const me = await shopper()
    const kept = await upload(me)
    await review(me, await order(me), { rating: 5, text: '好吃', photoIds: [kept] }).expect(201)
    const left = await upload(me)
    expect(await purgeUnattachedPhotos(new Date(now.getTime() + 23 * 3600_000))).toBe(0)
    expect(await purgeUnattachedPhotos(new Date(now.getTime() + 25 * 3600_000))).toBeGreaterThanOrEqual(1)
    await get(left, me.auth).expect(404)
    expect(await mongoose.connection.db!.collection('photos.files').countDocuments({ filename: { $regex: `^${left}/` } })).toBe(0)
    await get(kept).expect(200)
    // A review naming a removed upload is refused.
    expect((await review(me, await order(me), { rating: 4, text: '还行', photoIds: [left] }).expect(422)).body.error.code).toBe('PHOTO_NOT_FOUND')
  })

  it('records photos stored before photo records: a product photo stays public, a review photo follows its review', async () => {
    const me = await shopper()
    const inReview = await upload(me)
    await review(me, await order(me), { rating: 5, text: '老照片', photoIds: [inReview] }).expect(201)
    const loose = await upload(me)
    await PhotoRefModel.deleteMany({ _id: { $in: [inReview, loose, 'all-recorded'] } }) // a database from before
    await get(inReview).expect(404)
    expect(await recordPhotosFromBefore((ids) => t.services.reviews.holdingPhotos(ids))).toBe(2)
    await get(inReview).expect(200)
    await get(loose).expect(404)
    await get(loose, me.auth).expect(200)
    expect(await recordPhotosFromBefore((ids) => t.services.reviews.holdingPhotos(ids))).toBe(0)
  })
})
