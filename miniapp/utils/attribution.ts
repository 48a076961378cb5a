import Taro from '@tarojs/taro'
import type { z } from 'zod'
import type { AttributionSchema } from '@xianlin/shared'

type Attribution = z.infer<typeof AttributionSchema>
const KEY = 'attribution'

/**
 * Keeps where this visit came from: share cards add `inviter` and `shareId` to the page query,
 * poster QR codes arrive as an encoded `scene`. First touch wins, so an existing value is kept.
 */
export function rememberAttribution(query: Record<string, string | undefined> | undefined): void {
  if (!query || Taro.getStorageSync(KEY)) return
  const found: Attribution = {}
  if (query.inviter) found.inviter = String(query.inviter).slice(0, 32)
  if (query.shareId) found.shareId = String(query.shareId).slice(0, 64)
  if (query.scene) found.scene = decodeURIComponent(String(query.scene)).slice(0, 32)
  if (Object.keys(found).length) Taro.setStorageSync(KEY, found)
}

/** The attribution to send with login, if any. */
export function pendingAttribution(): Attribution | undefined {
  const value = Taro.getStorageSync(KEY)
  return value && typeof value === 'object' ? (value as Attribution) : undefined
}
