import { awayFromMinuteEdge, devLogin, startTestApp, type TestApp } from '../../../test/harness'
import { findEvents, countEvents } from './event.model'

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
    const [event] = await findEvents({ name: 'visit', userId: shopper.user.id })
    expect(event).toMatchObject({ day: '2026-11-23', props: { page: 'home' } })
  })

  it('records an anonymous product view', async () => {
    await t.http.post('/api/events').send({ name: 'product_view', props: { productId: '0123456789abcdef01234567' } }).expect(204)
    expect(await countEvents({ name: 'product_view', userId: null })).toBe(1)
  })

  it('refuses events only the server may emit, and nested props', async () => {
    const before = await countEvents()
    await t.http.post('/api/events').send({ name: 'payment' }).expect(400)
    await t.http.post('/api/events').send({ name: 'visit', props: { deep: { a: 1 } } }).expect(400)
    expect(await countEvents()).toBe(before)
  })

  it('stores only the catalogue\'s properties of each client event, and nothing oversized', async () => {
    const before = await countEvents()
    for (const body of [
      { name: 'visit', props: { page: 'home', pad: 'x'.repeat(20_000) } },
      { name: 'visit', props: { page: 'x'.repeat(200) } },
      { name: 'visit' },
      { name: 'product_view', props: { productId: 'abc' } },
      { name: 'product_view', props: { productId: '0123456789abcdef01234567', extra: 1 } },
    ]) {
      const res = await t.http.post('/api/events').send(body)
      expect([JSON.stringify(body).slice(0, 60), res.status]).toEqual([JSON.stringify(body).slice(0, 60), res.status >= 400 && res.status < 500 ? res.status : 'not 4xx'])
    }
    expect(await countEvents()).toBe(before)
  })

  it('limits anonymous events per IP, and the refused ones store nothing', async () => {
    await awayFromMinuteEdge(25)
    const before = await countEvents()
    const results = []
    for (let i = 0; i < 320; i += 40) results.push(...(await Promise.all(Array.from({ length: 40 }, () => t.http.post('/api/events').send({ name: 'visit', props: { page: 'mall' } })))))
    const stored = (await countEvents()) - before
    const refused = results.filter((r) => r.status === 429)
    expect(refused.length).toBeGreaterThan(0)
    expect(refused[0]!.body.error.code).toBe('RATE_LIMITED')
    expect(stored).toBe(results.filter((r) => r.status === 204).length)
    expect(stored).toBeLessThanOrEqual(300)
  })
})
