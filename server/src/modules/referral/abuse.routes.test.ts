import { Types } from 'mongoose'
import { awayFromMinuteEdge, devLogin, startTestApp, type TestApp, operatorLogin } from '../../../test/harness'
import { seedDemoData } from '../../seed/seed'
import { LeaderBindingModel } from '../leaders/leader.model'
import { ReferralBindingModel } from './referral.model'

let t: TestApp
let admin: Awaited<ReturnType<typeof devLogin>>
let productId: string
beforeAll(async () => {
  t = await startTestApp(__filename)
  await seedDemoData(new Date())
  admin = await operatorLogin(t)
  productId = (await t.http.get('/api/products').expect(200)).body.products[0].id
})
afterAll(() => t.close())

let n = 0
const person = () => devLogin(t, { nickname: `防刷${++n}` })
const inviteCode = async (p: { auth: Record<string, string> }) => (await t.http.get('/api/invites').set(p.auth).expect(200)).body.code as string

async function leaderCode(): Promise<string> {
  const me = await person()
  await t.http.post('/api/leaders/applications').set(me.auth).send({ name: '周敏', phone: '13800138009', community: '竹园小区', address: '竹园路 9 号', location: { latitude: 31.2, longitude: 121.4 }, hours: '08:00-20:00' }).expect(201)
  await t.http.post(`/api/admin/leaders/applications/${me.user.id}/approve`).set(admin.auth).expect(200)
  return (await t.http.get('/api/leader/centre').set(me.auth).expect(200)).body.centre.code
}

describe('code look-ups do not reveal which codes exist', () => {
  it('answers a bound invitee the same for a real code and a guessed one', async () => {
    const [a, b, bound] = [await person(), await person(), await person()]
    await t.http.post('/api/invites/bind').set(bound.auth).send({ inviter: await inviteCode(a) }).expect(200, { bound: true, inviterId: a.user.id })
    const real = await t.http.post('/api/invites/bind').set(bound.auth).send({ inviter: await inviteCode(b) }).expect(200)
    const guessed = await t.http.post('/api/invites/bind').set(bound.auth).send({ inviter: 'ZZZZZZZZ' }).expect(200)
    expect(real.body).toEqual(guessed.body)
    expect(real.body).toEqual({ bound: false, reason: 'ALREADY_BOUND' })
  })

  it('answers a member bound to a leader the same for another real leader code and a guessed one', async () => {
    const [first, second] = [await leaderCode(), await leaderCode()]
    const member = await person()
    await t.http.post('/api/leaders/bind').set(member.auth).send({ code: first }).expect(200)
    const real = await t.http.post('/api/leaders/bind').set(member.auth).send({ code: second }).expect(409)
    const guessed = await t.http.post('/api/leaders/bind').set(member.auth).send({ code: 'ZZZZZZZZ' }).expect(409)
    expect(real.body).toEqual(guessed.body)
    expect(real.body.error.code).toBe('LEADER_ALREADY_BOUND')
  })

  it('answers an unknown share id like a share that earns nothing', async () => {
    const me = await person()
    const res = await t.http.post('/api/shares/0123456789abcdef01234567/open').set(me.auth).expect(200)
    expect(res.body).toEqual({ counted: false, reward: null })
  })

  it('limits code look-ups per shopper, and the refused ones bind nobody', async () => {
    const guesser = await person()
    await awayFromMinuteEdge(10)
    const results = []
    for (let i = 0; i < 25; i++) results.push(await t.http.post('/api/leaders/bind').set(guesser.auth).send({ code: `ZZZZZ${String(i).padStart(3, '0').replace(/[01]/g, 'Z')}` }))
    expect(results.filter((r) => r.status === 429)).toHaveLength(5)
    expect(results.find((r) => r.status === 429)!.headers['retry-after']).toBeDefined()
    // The limit also holds for a real code once it is reached.
    const refused = await t.http.post('/api/leaders/bind').set(guesser.auth).send({ code: await leaderCode() }).expect(429)
    expect(refused.body.error.code).toBe('RATE_LIMITED')
    expect(await LeaderBindingModel.exists({ _id: new Types.ObjectId(guesser.user.id) })).toBeNull()
    expect(await ReferralBindingModel.exists({ _id: new Types.ObjectId(guesser.user.id) })).toBeNull()
  })
})

describe('ids shared in links cannot be stepped to', () => {
  it('gives assists random ids: two made one after the other share no time prefix', async () => {
    const owner = await person()
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await t.http.post('/api/assists').set(owner.auth).send({ productId }).expect(201)).body.assist.id)
    const prefixes = new Set(ids.map((id) => id.slice(0, 8)))
    expect(prefixes.size).toBe(3)
    // Stepping from one's own id finds nothing.
    const stranger = await person()
    const last = BigInt(`0x${ids[2]}`)
    for (let step = 1n; step <= 7n; step++) {
      const next = (last + step).toString(16).padStart(24, '0')
      await t.http.post(`/api/assists/${next}/help`).set(stranger.auth).expect(404)
    }
  })
})

describe('personal replies', () => {
  it('are marked private and never stored by a shared cache', async () => {
    const me = await person()
    for (const path of ['/api/me', '/api/points', '/api/invites', '/api/orders']) {
      const res = await t.http.get(path).set(me.auth).expect(200)
      expect([path, res.headers['cache-control']]).toEqual([path, 'private, no-store'])
    }
    expect((await t.http.get('/api/products').expect(200)).headers['cache-control']).toBeUndefined()
  })
})
