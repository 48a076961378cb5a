import http from 'node:http'
import mongoose from 'mongoose'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { encryptResource, parseAuthorization, rsaVerify, signatureHeaders, signedMessage } from '../wechat/pay/crypto'
import type { PayConfig, Refund, Transaction } from '../wechat/pay/pay-client'

/**
 * A loopback WeChat Pay v3 server for development and tests, following WECHAT.md: it checks our
 * request signatures with the merchant's public key, signs every reply with "WeChat's" key, and
 * POSTs signed, encrypted notifications to the order's notify_url. Keys are generated per run.
 * `pay(prepayId)` plays the shopper confirming in the WeChat wallet.
 */
export interface FakePay {
  url: string
  /** The merchant settings our server uses to talk to this fake. */
  config(notifyUrl: string, appId: string): PayConfig
  /** The shopper pays: the transaction succeeds and its notification is delivered (status returned; 0 when not delivered). */
  pay(prepayId: string, opts?: { deliver?: boolean }): Promise<number>
  /** Delivers the notification of a paid transaction again, or a forged/tampered one. */
  /** Tests: how WeChat Pay answers the refunds asked for from now on (SUCCESS by default). */
  answerRefundsWith(status: Refund['status']): void
  /** Tests: a refund that was PROCESSING finishes with `status`, and its notification is sent. */
  finishRefund(outRefundNo: string, status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED'): Promise<number>
  /** Delivers the payment notification again; `override` changes fields of the transaction it reports (tests of mismatches). */
  notifyPaid(outTradeNo: string, tamper?: 'signature' | 'ciphertext' | null, override?: Record<string, unknown>): Promise<number>
  refunds(outTradeNo?: string): Refund[]
  transaction(outTradeNo: string): (Transaction & { prepay_id: string }) | undefined
  close(): Promise<void>
}

interface Tx extends Transaction {
  prepay_id: string
  notify_url: string
  appid: string
  mchid: string
}

type StoredRefund = Refund & { notify_url?: string }

/**
 * Where the fake keeps its transactions and refunds. Tests keep them in memory; the development
 * server keeps them in its database (`mongoFakePayStore`), so an order placed before a restart
 * can still be paid after it, as with the real WeChat Pay.
 */
export interface FakePayStore {
  load(): Promise<{ txs: Tx[]; refunds: StoredRefund[] }>
  saveTx(tx: Tx): Promise<void>
  saveRefund(refund: StoredRefund): Promise<void>
}

/** The development server's store: a collection beside its data, read once at start. */
export function mongoFakePayStore(): FakePayStore {
  const col = () => mongoose.connection.db!.collection<{ _id: string; kind: 'tx' | 'refund'; doc: Tx | StoredRefund }>('dev_fake_pay')
  return {
    async load() {
      const all = await col().find({}).toArray()
      return { txs: all.filter((d) => d.kind === 'tx').map((d) => d.doc as Tx), refunds: all.filter((d) => d.kind === 'refund').map((d) => d.doc as StoredRefund) }
    },
    saveTx: async (tx) => void (await col().replaceOne({ _id: `tx:${tx.out_trade_no}` }, { kind: 'tx', doc: tx }, { upsert: true })),
    saveRefund: async (r) => void (await col().replaceOne({ _id: `refund:${r.out_refund_no}` }, { kind: 'refund', doc: r }, { upsert: true })),
  }
}

export async function startFakePay(opts: { mchid?: string; clock?: () => Date; store?: FakePayStore } = {}): Promise<FakePay> {
  const clock = opts.clock ?? (() => new Date())
  const mchid = opts.mchid ?? '1900000109'
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const merchantSerial = randomBytes(20).toString('hex').toUpperCase()
  const publicKeyId = `PUB_KEY_ID_${randomBytes(16).toString('hex').toUpperCase()}`
  const apiV3Key = randomBytes(16).toString('hex') // 32 characters
  const txs = new Map<string, Tx>()
  const byPrepay = new Map<string, string>()
  const refunds = new Map<string, StoredRefund>()
  const store = opts.store
  const saved = store ? await store.load() : { txs: [], refunds: [] }
  for (const tx of saved.txs) {
    txs.set(tx.out_trade_no, tx)
    byPrepay.set(tx.prepay_id, tx.out_trade_no)
  }
  for (const r of saved.refunds) refunds.set(r.out_refund_no, r)
  /** Transactions from before a restart notify the server as it is now (its port may have changed). */
  let currentNotifyUrl: string | null = null
  const notifyUrlOf = (tx: Tx) => currentNotifyUrl ?? tx.notify_url
  const keepTx = async (tx: Tx) => void (await store?.saveTx(tx))
  const keepRefund = async (r: StoredRefund) => void (await store?.saveRefund(r))
  const now = () => Math.floor(clock().getTime() / 1000)

  function reply(res: http.ServerResponse, status: number, body?: object) {
    const text = body ? JSON.stringify(body) : ''
    const signed = status < 300 ? signatureHeaders({ serial: publicKeyId, privateKey: platform.privateKey, body: text, timestamp: now() }) : {}
    res.writeHead(status, { 'content-type': 'application/json', ...signed })
    res.end(text)
  }
  const fail = (res: http.ServerResponse, status: number, code: string, message: string) => reply(res, status, { code, message })

  async function deliver(url: string, eventType: string, resourceType: string, plain: object, tamper?: 'signature' | 'ciphertext'): Promise<number> {
    const resource = encryptResource(apiV3Key, JSON.stringify(plain), resourceType === 'transaction' ? 'transaction' : 'refund')
    if (tamper === 'ciphertext') {
      const bytes = Buffer.from(resource.ciphertext, 'base64')
      bytes[0] ^= 0xff
      resource.ciphertext = bytes.toString('base64')
    }
    const body = JSON.stringify({
      id: randomBytes(16).toString('hex'),
      create_time: clock().toISOString(),
      event_type: eventType,
      resource_type: 'encrypt-resource',
      summary: eventType.startsWith('REFUND') ? '退款成功' : '支付成功',
      resource,
    })
    const headers = signatureHeaders({ serial: publicKeyId, privateKey: (tamper === 'signature' ? merchant : platform).privateKey, body, timestamp: now() })
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
    await res.arrayBuffer()
    return res.status
  }

  let refundAnswer: Refund['status'] = 'SUCCESS'
  function notifyRefund(refund: StoredRefund): Promise<number> {
    if (!refund.notify_url) return Promise.resolve(0)
    const url = currentNotifyUrl ?? refund.notify_url
    const tx = txs.get(refund.out_trade_no)!
    const plain = { out_trade_no: tx.out_trade_no, transaction_id: tx.transaction_id, out_refund_no: refund.out_refund_no, refund_id: refund.refund_id, refund_status: refund.status, success_time: clock().toISOString(), amount: { refund: refund.amount.refund, total: refund.amount.total } }
    return deliver(url, `REFUND.${refund.status}`, 'refund', plain)
  }

  const paidPlain = (tx: Tx) => {
    const { prepay_id: _p, notify_url: _n, ...transaction } = tx
    return transaction
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://fake')
    const route = `${req.method} ${url.pathname.replace(/\/out-trade-no\/[^/]+/, '/out-trade-no/:no')}`

    // Every merchant request is signed: METHOD\nPATH\nTIMESTAMP\nNONCE\nBODY\n.
    const auth = parseAuthorization(String(req.headers.authorization ?? ''))
    // WeChat Pay v3 refuses requests without a User-Agent, and answers JSON only.
    if (!req.headers['user-agent'] || !/application\/json/.test(String(req.headers.accept ?? ''))) return fail(res, 400, 'PARAM_ERROR', '请求头缺少 User-Agent 或 Accept')
    if (!auth || auth.mchid !== mchid || auth.serial_no !== merchantSerial || Math.abs(now() - Number(auth.timestamp)) >= 300) {
      return fail(res, 401, 'SIGN_ERROR', '签名错误')
    }
    if (!rsaVerify(merchant.publicKey, signedMessage(req.method ?? '', req.url ?? '', auth.timestamp, auth.nonce_str, raw), auth.signature)) {
      return fail(res, 401, 'SIGN_ERROR', '签名错误')
    }
    const body = raw ? JSON.parse(raw) : {}
    const no = decodeURIComponent(/\/out-trade-no\/([^/?]+)/.exec(url.pathname)?.[1] ?? '')

    switch (route) {
      case 'POST /v3/pay/transactions/jsapi': {
        if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(body.out_trade_no ?? '') || !Number.isInteger(body.amount?.total) || body.amount.total <= 0 || !body.payer?.openid || body.mchid !== mchid || !body.notify_url) {
          return fail(res, 400, 'PARAM_ERROR', '参数错误')
        }
        const existing = txs.get(body.out_trade_no)
        if (existing && existing.trade_state !== 'NOTPAY') return fail(res, 400, 'ORDERPAID', '该订单已支付')
        const prepay_id = existing?.prepay_id ?? `wx${randomBytes(14).toString('hex')}`
        const tx: Tx = {
          appid: body.appid,
          mchid,
          out_trade_no: body.out_trade_no,
          trade_state: 'NOTPAY',
          attach: body.attach,
          payer: { openid: body.payer.openid },
          amount: { total: body.amount.total, currency: 'CNY' },
          prepay_id,
          notify_url: body.notify_url,
        }
        txs.set(body.out_trade_no, tx)
        byPrepay.set(prepay_id, body.out_trade_no)
        await keepTx(tx)
        return reply(res, 200, { prepay_id })
      }
      case 'GET /v3/pay/transactions/out-trade-no/:no': {
        const tx = txs.get(no)
        return tx ? reply(res, 200, paidPlain(tx)) : fail(res, 404, 'ORDER_NOT_EXIST', '订单不存在')
      }
      case 'POST /v3/pay/transactions/out-trade-no/:no/close': {
        const tx = txs.get(no)
        if (!tx) return fail(res, 404, 'ORDER_NOT_EXIST', '订单不存在')
        if (tx.trade_state === 'SUCCESS' || tx.trade_state === 'REFUND') return fail(res, 400, 'ORDERPAID', '该订单已支付')
        tx.trade_state = 'CLOSED'
        await keepTx(tx)
        return reply(res, 204)
      }
      case 'POST /v3/refund/domestic/refunds': {
        const tx = txs.get(body.out_trade_no)
        if (!tx) return fail(res, 404, 'ORDER_NOT_EXIST', '订单不存在')
        const again = refunds.get(body.out_refund_no)
        if (again) return reply(res, 200, again)
        if (tx.trade_state !== 'SUCCESS' && tx.trade_state !== 'REFUND') return fail(res, 400, 'INVALID_REQUEST', '订单未支付')
        if (body.amount?.total !== tx.amount?.total || !(body.amount?.refund > 0) || body.amount.refund > tx.amount!.total) return fail(res, 400, 'PARAM_ERROR', '退款金额错误')
        // Partial refunds, each under its own out_refund_no, never add up past what was paid (CLOSED ones gave nothing back).
        const refundedBefore = [...refunds.values()].filter((r) => r.out_trade_no === tx.out_trade_no && r.status !== 'CLOSED').reduce((n, r) => n + r.amount.refund, 0)
        if (refundedBefore + body.amount.refund > tx.amount!.total) return fail(res, 400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额')
        const refund: Refund & { notify_url?: string } = {
          refund_id: `50${randomBytes(12).toString('hex')}`,
          out_refund_no: body.out_refund_no,
          out_trade_no: tx.out_trade_no,
          status: 'SUCCESS',
          amount: { refund: body.amount.refund, total: body.amount.total, currency: 'CNY' },
          notify_url: body.notify_url,
        }
        refund.status = refundAnswer
        refunds.set(body.out_refund_no, refund)
        if (refundAnswer === 'SUCCESS') tx.trade_state = 'REFUND'
        await keepRefund(refund)
        await keepTx(tx)
        const { notify_url: _n, ...shown } = refund
        // WeChat notifies a refund's end (REFUND.SUCCESS / ABNORMAL / CLOSED), never PROCESSING.
        if (refundAnswer !== 'PROCESSING') setTimeout(() => void notifyRefund(refund).catch(() => undefined), 20)
        return reply(res, 200, shown)
      }
      default:
        return fail(res, 404, 'NOT_FOUND', '接口不存在')
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: Error) => fail(res, 500, 'SYSTEM_ERROR', err.message))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`

  const fake: FakePay = {
    url,
    config(notifyUrl, appId) {
      // The server that asks for this config is the one notifications go to, for orders of before a restart too.
      currentNotifyUrl = notifyUrl
      return {
        appId,
        mchid,
        merchantSerial,
        privateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKeyId,
        publicKey: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        apiV3Key,
        apiBase: url,
        notifyUrl,
      }
    },
    async pay(prepayId, payOpts = {}) {
      const tx = txs.get(byPrepay.get(prepayId) ?? '')
      if (!tx) throw new Error(`unknown prepay_id ${prepayId}`)
      if (tx.trade_state === 'NOTPAY') {
        tx.trade_state = 'SUCCESS'
        tx.transaction_id = `4200${randomBytes(12).toString('hex')}`
        tx.success_time = clock().toISOString()
        tx.amount = { ...tx.amount!, payer_total: tx.amount!.total }
        await keepTx(tx)
      }
      return payOpts.deliver === false ? 0 : deliver(notifyUrlOf(tx), 'TRANSACTION.SUCCESS', 'transaction', paidPlain(tx))
    },
    async notifyPaid(outTradeNo, tamper, override = {}) {
      const tx = txs.get(outTradeNo)
      if (!tx) throw new Error(`unknown out_trade_no ${outTradeNo}`)
      return deliver(notifyUrlOf(tx), 'TRANSACTION.SUCCESS', 'transaction', { ...paidPlain(tx), ...override }, tamper ?? undefined)
    },
    answerRefundsWith: (status) => void (refundAnswer = status),
    async finishRefund(outRefundNo, status) {
      const refund = refunds.get(outRefundNo)
      if (!refund) throw new Error(`unknown out_refund_no ${outRefundNo}`)
      refund.status = status
      if (status === 'SUCCESS') txs.get(refund.out_trade_no)!.trade_state = 'REFUND'
      await keepRefund(refund)
      return notifyRefund(refund)
    },
    refunds: (outTradeNo) => [...refunds.values()].filter((r) => !outTradeNo || r.out_trade_no === outTradeNo),
    transaction: (outTradeNo) => txs.get(outTradeNo),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  return fake
}
