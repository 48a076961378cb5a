import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { startFakePay, type FakePay } from '../../dev/fake-pay'
import { rsaVerify, signedMessage } from './crypto'
import { createPayClient, PayError } from './pay-client'

let fake: FakePay
beforeAll(async () => {
  fake = await startFakePay()
})
afterAll(() => fake.close())

const config = () => fake.config('http://127.0.0.1:9/notify', 'wx0000000000000000')
const prepay = (client = createPayClient(config())) =>
  client.prepay({ outTradeNo: `T${Date.now()}${Math.floor(Math.random() * 1000)}`, description: '测试', totalFen: 100, openid: 'o-test', expiresAt: new Date(Date.now() + 900_000) })

describe('the WeChat Pay v3 client against the fake', () => {
  it('signs requests the fake verifies, and builds requestPayment parameters signed over APPID, TIMESTAMP, NONCE and PACKAGE', async () => {
    const prepayId = await prepay()
    const params = createPayClient(config()).requestPayment(prepayId)
    expect(params).toMatchObject({ package: `prepay_id=${prepayId}`, signType: 'RSA' })
    const merchantPublic = createPublicKey(config().privateKey)
    expect(rsaVerify(merchantPublic, signedMessage('wx0000000000000000', params.timeStamp, params.nonceStr, params.package), params.paySign)).toBe(true)
    expect(rsaVerify(merchantPublic, signedMessage('wx0000000000000001', params.timeStamp, params.nonceStr, params.package), params.paySign)).toBe(false)
  })

  it('gets 401 SIGN_ERROR when a request is signed with another key', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const err = await prepay(createPayClient({ ...config(), privateKey: stranger })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PayError)
    expect(err).toMatchObject({ status: 401, code: 'SIGN_ERROR' })
  })

  it('refuses a response signed with a key it does not hold; the fake refuses a request stamped 6 minutes off', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString()
    await expect(prepay(createPayClient({ ...config(), publicKey: other }))).rejects.toMatchObject({ code: 'RESPONSE_NOT_VERIFIED' })
    const skewed = createPayClient(config(), () => new Date(Date.now() + 6 * 60_000))
    await expect(skewed.query('NOPE000001')).rejects.toMatchObject({ status: 401, code: 'SIGN_ERROR' })
  })

  it('answers null for an unknown order and refunds once per out_refund_no', async () => {
    const client = createPayClient(config())
    expect(await client.query('NOPE000002')).toBeNull()
    const outTradeNo = `R${Date.now()}`
    const prepayId = await client.prepay({ outTradeNo, description: '测试', totalFen: 250, openid: 'o-test', expiresAt: new Date(Date.now() + 900_000) })
    await fake.pay(prepayId, { deliver: false })
    expect((await client.query(outTradeNo))!.trade_state).toBe('SUCCESS')
    const refunds = await Promise.all([1, 2, 3].map(() => client.refund({ outTradeNo, outRefundNo: `RF${outTradeNo}`, refundFen: 250, totalFen: 250, reason: '测试' })))
    expect(new Set(refunds.map((r) => r.refund_id)).size).toBe(1)
    expect(fake.refunds(outTradeNo)).toHaveLength(1)
  })

  it('refunds an order in parts, each under its own out_refund_no, never past what was paid', async () => {
    const client = createPayClient(config())
    const outTradeNo = `P${Date.now()}`
    const prepayId = await client.prepay({ outTradeNo, description: '测试', totalFen: 1000, openid: 'o-test', expiresAt: new Date(Date.now() + 900_000) })
    await fake.pay(prepayId, { deliver: false })
    const first = await client.refund({ outTradeNo, outRefundNo: `RF${outTradeNo}a`, refundFen: 300, totalFen: 1000, reason: '缺货' })
    const second = await client.refund({ outTradeNo, outRefundNo: `RF${outTradeNo}b`, refundFen: 700, totalFen: 1000, reason: '售后' })
    expect([first, second].map((r) => [r.out_refund_no, r.amount.refund, r.amount.total, r.status])).toEqual([
      [`RF${outTradeNo}a`, 300, 1000, 'SUCCESS'],
      [`RF${outTradeNo}b`, 700, 1000, 'SUCCESS'],
    ])
    await expect(client.refund({ outTradeNo, outRefundNo: `RF${outTradeNo}c`, refundFen: 1, totalFen: 1000, reason: '多退' })).rejects.toMatchObject({ status: 400, code: 'INVALID_REQUEST' })
    expect(fake.refunds(outTradeNo).map((r) => r.amount.refund)).toEqual([300, 700])
    expect((await client.query(outTradeNo))!.trade_state).toBe('REFUND')
  })
})
