import { createCipheriv, createDecipheriv, createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto'

/**
 * The cryptography of WeChat Pay API v3 (WECHAT.md): SHA256withRSA signatures over newline-ended
 * lines, and AES-256-GCM resources. Both our client and the development/test fake use these, so
 * what one signs the other verifies with the very same code.
 */
export type Key = KeyObject | string

/** `a\nb\nc\n`: every line ends with a newline, including the last. */
export const signedMessage = (...lines: Array<string | number>) => lines.map((l) => `${l}\n`).join('')

export function rsaSign(privateKey: Key, message: string): string {
  return createSign('RSA-SHA256').update(message).sign(privateKey, 'base64')
}

export function rsaVerify(publicKey: Key, message: string, signature: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(publicKey, signature, 'base64')
  } catch {
    return false
  }
}

export const nonce = () => randomBytes(16).toString('hex')

export interface EncryptedResource {
  original_type: string
  algorithm: 'AEAD_AES_256_GCM'
  ciphertext: string
  nonce: string
  associated_data: string
}

/** IV = the nonce string's bytes; ciphertext = base64(encrypted ‖ 16-byte tag). */
export function decryptResource(apiV3Key: string, r: Pick<EncryptedResource, 'ciphertext' | 'nonce' | 'associated_data'>): string {
  const data = Buffer.from(r.ciphertext, 'base64')
  if (data.length < 17) throw new Error('ciphertext too short')
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(r.nonce, 'utf8'))
  decipher.setAuthTag(data.subarray(data.length - 16))
  decipher.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'))
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8')
}

export function encryptResource(apiV3Key: string, plaintext: string, originalType: string, associatedData = originalType): EncryptedResource {
  const iv = randomBytes(6).toString('hex') // 12 characters, as WeChat sends
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(iv, 'utf8'))
  cipher.setAAD(Buffer.from(associatedData, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext: body.toString('base64'), nonce: iv, associated_data: associatedData }
}

/** The `Authorization` header of a request we send: `METHOD\nPATH\nTIMESTAMP\nNONCE\nBODY\n`. */
export function authorization(opts: { mchid: string; serial: string; privateKey: Key; method: string; pathWithQuery: string; body: string; timestamp: number }): string {
  const n = nonce()
  const signature = rsaSign(opts.privateKey, signedMessage(opts.method, opts.pathWithQuery, opts.timestamp, n, opts.body))
  return `WECHATPAY2-SHA256-RSA2048 mchid="${opts.mchid}",nonce_str="${n}",signature="${signature}",timestamp="${opts.timestamp}",serial_no="${opts.serial}"`
}

/** Parses the fields of an `Authorization` header (the fake's side). */
export function parseAuthorization(header: string): Record<string, string> | null {
  const m = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(header)
  if (!m) return null
  const fields: Record<string, string> = {}
  for (const part of m[1].matchAll(/(\w+)="([^"]*)"/g)) fields[part[1]] = part[2]
  return fields
}

/** The four headers WeChat signs a response or a notification with: `TIMESTAMP\nNONCE\nBODY\n`. */
export function signatureHeaders(opts: { serial: string; privateKey: Key; body: string; timestamp: number }) {
  const n = nonce()
  return {
    'wechatpay-timestamp': String(opts.timestamp),
    'wechatpay-nonce': n,
    'wechatpay-serial': opts.serial,
    'wechatpay-signature': rsaSign(opts.privateKey, signedMessage(opts.timestamp, n, opts.body)),
  }
}

/**
 * Checks headers signed by WeChat: a known serial, a timestamp within 5 minutes, a valid
 * signature over the raw body, and not a probe (`WECHATPAY/SIGNTEST/`). Returns why it failed.
 */
export function verifySignedHeaders(
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  keys: { publicKeyId: string; publicKey: Key },
  now: Date,
): string | null {
  const h = (name: string) => {
    const v = headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const serial = h('wechatpay-serial')
  const timestamp = h('wechatpay-timestamp')
  const n = h('wechatpay-nonce')
  const signature = h('wechatpay-signature')
  if (!serial || !timestamp || !n || !signature) return 'missing signature headers'
  if (signature.startsWith('WECHATPAY/SIGNTEST/')) return 'signature probe'
  if (serial !== keys.publicKeyId) return `unknown serial ${serial}`
  if (!/^\d+$/.test(timestamp) || Math.abs(now.getTime() / 1000 - Number(timestamp)) >= 300) return 'timestamp outside 5 minutes'
  if (!rsaVerify(keys.publicKey, signedMessage(timestamp, n, rawBody), signature)) return 'bad signature'
  return null
}
