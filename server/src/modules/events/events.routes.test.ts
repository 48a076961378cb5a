import { devLogin, startTestApp, type TestApp } from '../../../test/harness'
import { EventModel } from './event.model'

let t: TestApp
beforeAll(async () => {
  // 23:30 in Shanghai on the 22nd is the 23rd there: the day must follow the business timezone.
  t = await startTestApp(__filename, { clock: () => new Date('2026-11-22T16:30:00Z') })
})
afterAll(() => t.close())

describe('POST /api/events', () => {
  it('records a visit of a signed-in shopper on the business-timezone day', async () => {
    const shopper = await devLogin(t, { nickname: '访客' })
    await t.http.post('/api/events').set(shopper.auth).send({ name: 'visit', props: { page: 'home' } }).expect(204)
    const event = await EventModel.findOne({ name: 'visit', userId: shopper.user.id })
    expect(event).toMatchObject({ day: '2026-11-23', props: { page: 'home' } })
  })

  it('records an anonymous product view', async () => {
    await t.http.post('/api/events').send({ name: 'product_view', props: { productId: 'abc' } }).expect(204)
    expect(await EventModel.countDocuments({ name: 'product_view', userId: null })).toBe(1)
  })

  it('refuses events only the server may emit, and nested props', async () => {
    const before = await EventModel.countDocuments()
    await t.http.post('/api/events').send({ name: 'payment' }).expect(400)
    await t.http.post('/api/events').send({ name: 'visit', props: { deep: { a: 1 } } }).expect(400)
    expect(await EventModel.countDocuments()).toBe(before)
  })
})
