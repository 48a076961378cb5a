import Taro from '@tarojs/taro'
import type { z } from 'zod'
import type { AttributionSchema } from '@xianlin/shared'
import { api } from '../api'
import { session } from './session'

type Attribution = z.infer<typeof AttributionSchema>
const FIRST_TOUCH = 'attribution'
const SHARE_OPENS = 'share-opens'
const SHARE_ID = /^[0-9A-Za-z]{16,32}$/

/**
 * Keeps where this visit came from: share cards add `inviter` and `shareId` to the page query,
 * poster QR codes arrive as an encoded `scene`. The invitation is first touch, so an existing
 * value is kept; every share card opened is remembered until it can be reported signed in.
 */
export function rememberAttribution(query: Record<string, string | undefined> | undefined): void {
  if (!query) return
  const shareId = query.shareId && SHARE_ID.test(String(query.shareId)) ? String(query.shareId) : undefined
  if (shareId) {
    const opens = shareOpens()
    if (!opens.includes(shareId)) Taro.setStorageSync(SHARE_OPENS, [...opens, shareId].slice(-20))
  }
  if (Taro.getStorageSync(FIRST_TOUCH)) return
  const found: Attribution = {}
  if (query.inviter) found.inviter = String(query.inviter).slice(0, 32)
  if (shareId) found.shareId = shareId
  if (query.scene) found.scene = decodeURIComponent(String(query.scene)).slice(0, 32)
  if (Object.keys(found).length) Taro.setStorageSync(FIRST_TOUCH, found)
}

/** The attribution to send with login, if any. */
export function pendingAttribution(): Attribution | undefined {
  const value = Taro.getStorageSync(FIRST_TOUCH)
  return value && typeof value === 'object' ? (value as Attribution) : undefined
}

function shareOpens(): string[] {
  const value = Taro.getStorageSync(SHARE_OPENS)
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/**
 * Tells the server which share cards this user opened (the sharer may earn points), once signed
 * in. A card that is gone or already counted is forgotten; a network failure keeps it for later.
 */
export async function reportShareOpens(): Promise<void> {
  if (!session.accessToken()) return
  for (const shareId of shareOpens()) {
    try {
      await api.shares.open(shareId)
    } catch (err) {
      if ((err as { code?: string }).code === 'NETWORK') return
    }
    Taro.setStorageSync(SHARE_OPENS, shareOpens().filter((id) => id !== shareId))
  }
}
