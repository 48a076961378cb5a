import { request } from 'undici'
import { authorization, decryptResource, nonce, rsaSign, signedMessage, verifySignedHeaders, type EncryptedResource } from './crypto'

/** Merchant settings for WeChat Pay v3 in public-key mode (WECHAT.md). */
export interface PayConfig {
  appId: string
  mchid: string
  /** Serial number of the merchant certificate whose private key signs our requests. */
  merchantSerial: string
  privateKey: string
  /** The WeChat Pay public key (PUB_KEY_ID_…) that signs responses and notifications. */
  publicKeyId: string
  publicKey: string
  apiV3Key: string
  apiBase: string
  notifyUrl: string
}

export class PayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`WeChat Pay ${status} ${code}: ${message}`)
  }
}

export interface Transaction {
  appid?: string
  mchid?: string
  out_trade_no: string
  transaction_id?: string
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR'
  success_time?: string
  payer?: { openid: string }
  amount?: { total: number; payer_total?: number; currency: string }
  attach?: string
}

export interface Refund {
  refund_id: string
  out_refund_no: string
  out_trade_no: string
  status: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL'
  amount: { refund: number; total: number; currency: string }
}

export type PayNotification =
  | { id: string; kind: 'transaction'; eventType: string; transaction: Transaction }
  | { id: string; kind: 'refund'; eventType: string; refund: { out_trade_no: string; out_refund_no: string; refund_id: string; refund_status: Refund['status']; amount: { refund: number; total: number } } }

/** Sent on every request to WeChat Pay (its v3 rules require a User-Agent). */
export const PAY_USER_AGENT = `xianlin-growth/0.1 (node ${process.versions.node}; ${process.platform})`

export type RequestPaymentParams = { timeStamp: string; nonceStr: string; package: string; signType: 'RSA'; paySign: string }

/**
 * The few WeChat Pay v3 endpoints we use, with node:crypto: requests signed with the merchant
 * key, every 2xx response verified against the WeChat Pay public key, notifications verified
 * over their raw bytes and decrypted.
 */
export function createPayClient(config: PayConfig, clock: () => Date = () => new Date()) {
  const keys = { publicKeyId: config.publicKeyId, publicKey: config.publicKey }

  async function call<T>(method: 'GET' | 'POST', pathWithQuery: string, payload?: object): Promise<T | null> {
    const body = payload ? JSON.stringify(payload) : ''
    const timestamp = Math.floor(clock().getTime() / 1000)
    let res
    try {
      res = await request(new URL(pathWithQuery, config.apiBase), {
        method,
        headers: {
          // WeChat Pay v3 requires a User-Agent on every request.
          'user-agent': PAY_USER_AGENT,
          accept: 'application/json',
          'content-type': 'application/json',
          'wechatpay-serial': config.publicKeyId,
          authorization: authorization({ mchid: config.mchid, serial: config.merchantSerial, privateKey: config.privateKey, method, pathWithQuery, body, timestamp }),
        },
        body: body || undefined,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      })
    } catch (err) {
      throw new PayError(0, 'UNREACHABLE', (err as Error).message)
    }
    const text = await res.body.text()
    if (res.statusCode >= 300) {
      let error: { code?: string; message?: string } = {}
      try {
        error = JSON.parse(text)
      } catch {
        /* not JSON: keep the status */
      }
      throw new PayError(res.statusCode, error.code ?? 'HTTP_ERROR', error.message ?? text.slice(0, 200))
    }
    const problem = verifySignedHeaders(res.headers, text, keys, clock())
    if (problem) throw new PayError(res.statusCode, 'RESPONSE_NOT_VERIFIED', problem)
    return text ? (JSON.parse(text) as T) : null
  }

  return {
    /** Who we are to WeChat Pay: every payment reported to us must name this merchant and app. */
    merchant: { mchid: config.mchid, appId: config.appId },

    async prepay(input: { outTradeNo: string; description: string; totalFen: number; openid: string; expiresAt: Date }): Promise<string> {
      const reply = await call<{ prepay_id: string }>('POST', '/v3/pay/transactions/jsapi', {
        appid: config.appId,
        mchid: config.mchid,
        description: input.description.slice(0, 127),
        out_trade_no: input.outTradeNo,
        time_expire: input.expiresAt.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
        notify_url: config.notifyUrl,
        amount: { total: input.totalFen, currency: 'CNY' },
        payer: { openid: input.openid },
      })
      if (!reply?.prepay_id) throw new PayError(200, 'NO_PREPAY_ID', 'prepay answered without prepay_id')
      return reply.prepay_id
    },

    /** The signed parameters for `wx.requestPayment` (signType is not part of the signature). */
    requestPayment(prepayId: string): RequestPaymentParams {
      const timeStamp = String(Math.floor(clock().getTime() / 1000))
      const nonceStr = nonce()
      const pkg = `prepay_id=${prepayId}`
      return { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign: rsaSign(config.privateKey, signedMessage(config.appId, timeStamp, nonceStr, pkg)) }
    },

    /** The transaction, or null when WeChat has no such order. */
    async query(outTradeNo: string): Promise<Transaction | null> {
      try {
        return await call<Transaction>('GET', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${config.mchid}`)
      } catch (err) {
        if (err instanceof PayError && err.code === 'ORDER_NOT_EXIST') return null
        throw err
      }
    },

    async close(outTradeNo: string): Promise<void> {
      await call('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, { mchid: config.mchid })
    },

    /** Refunds once per `outRefundNo`: WeChat answers a repeat with the same refund. */
    async refund(input: { outTradeNo: string; outRefundNo: string; refundFen: number; totalFen: number; reason: string }): Promise<Refund> {
      const reply = await call<Refund>('POST', '/v3/refund/domestic/refunds', {
        out_trade_no: input.outTradeNo,
        out_refund_no: input.outRefundNo,
        reason: input.reason,
        notify_url: config.notifyUrl,
        amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
      })
      if (!reply) throw new PayError(200, 'EMPTY_REPLY', 'refund answered without a body')
      return reply
    },

    /** Verifies a notification over its raw bytes and decrypts it; throws `PayError(401)` if it is not genuine. */
    parseNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): PayNotification {
      const problem = verifySignedHeaders(headers, rawBody, keys, clock())
      if (problem) throw new PayError(401, 'SIGN_ERROR', problem)
      let envelope: { id: string; event_type: string; resource: EncryptedResource }
      let plain: string
      try {
        envelope = JSON.parse(rawBody)
        plain = decryptResource(config.apiV3Key, envelope.resource)
      } catch (err) {
        throw new PayError(400, 'DECRYPT_ERROR', (err as Error).message)
      }
      const resource = JSON.parse(plain)
      if (envelope.event_type.startsWith('REFUND.')) return { id: envelope.id, kind: 'refund', eventType: envelope.event_type, refund: resource }
      return { id: envelope.id, kind: 'transaction', eventType: envelope.event_type, transaction: resource }
    },
  }
}

export type PayClient = ReturnType<typeof createPayClient>
