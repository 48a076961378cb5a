import { startTestApp, operatorLogin, type TestApp } from '../../../test/harness'
import { OperatorModel } from './operator.model'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(__filename)
})
afterAll(() => t.close())

const enabledAdmins = () => OperatorModel.countDocuments({ role: 'admin', disabled: false })

describe('the last admin', () => {
  it('survives two admins demoting themselves at the same moment, ten times over, and disabling each other', async () => {
    const [a, b] = [await operatorLogin(t), await operatorLogin(t)]
    for (let round = 0; round < 10; round++) {
      await OperatorModel.updateMany({ _id: { $in: [a.id, b.id] } }, { $set: { role: 'admin', disabled: false } })
      const results = await Promise.all([a, b].map((me) => t.http.patch(`/api/admin/operators/${me.id}`).set(me.auth).send({ role: 'operations' })))
      expect(results.map((r) => r.status).sort()).toEqual([200, 409])
      expect(results.find((r) => r.status === 409)!.body.error.code).toBe('LAST_ADMIN')
      expect(await enabledAdmins()).toBe(1)
    }
    await OperatorModel.updateMany({ _id: { $in: [a.id, b.id] } }, { $set: { role: 'admin', disabled: false } })
    const [x, y] = [await operatorLogin(t, 'admin'), await operatorLogin(t, 'admin')]
    await OperatorModel.updateMany({ _id: { $nin: [x.id, y.id] } }, { $set: { disabled: true } })
    const crossed = await Promise.all([t.http.patch(`/api/admin/operators/${y.id}`).set(x.auth).send({ disabled: true }), t.http.patch(`/api/admin/operators/${x.id}`).set(y.auth).send({ disabled: true })])
    expect(crossed.map((r) => r.status).sort()).toEqual([200, 409])
    expect(await enabledAdmins()).toBe(1)
  })
})
