import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

/** A phone key: its id (stored beside each ciphertext) and 32 bytes, base64. */
export interface PhoneKey {
  id: string
  keyBase64: string
}

export interface SealedPhone {
  keyId: string
  /** base64 of iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext. */
  sealed: string
}

/**
 * Phone numbers at rest (DESIGN.md, phone binding; PIPL): AES-256-GCM with the first of `keys`,
 * the key id kept beside the ciphertext so older keys still open what they sealed (rotation:
 * put the new key first, keep the old ones until `rotate` has resealed everything). Look-ups use
 * a keyed hash (HMAC-SHA256) whose key never rotates with the encryption keys.
 */
export function createPhoneCrypto(opts: { keys: readonly PhoneKey[]; hashKeyBase64: string }) {
  if (opts.keys.length === 0) throw new Error('at least one phone key is needed')
  const keys = new Map(opts.keys.map((k) => [k.id, Buffer.from(k.keyBase64, 'base64')]))
  for (const [id, key] of keys) if (key.length !== 32) throw new Error(`phone key ${id} must be 32 bytes (base64)`)
  const current = opts.keys[0].id
  const hashKey = Buffer.from(opts.hashKeyBase64, 'base64')

  return {
    currentKeyId: current,

    seal(phone: string): SealedPhone {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', keys.get(current)!, iv)
      const body = Buffer.concat([cipher.update(phone, 'utf8'), cipher.final()])
      return { keyId: current, sealed: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') }
    },

    open(s: SealedPhone): string {
      const key = keys.get(s.keyId)
      if (!key) throw new Error(`phone key ${s.keyId} is no longer configured`)
      const raw = Buffer.from(s.sealed, 'base64')
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    },

    /** The look-up hash of a number: equal numbers give equal hashes, nothing else can be read from it. */
    hash(phone: string): string {
      return createHmac('sha256', hashKey).update(phone).digest('base64url')
    },
  }
}

export type PhoneCrypto = ReturnType<typeof createPhoneCrypto>
