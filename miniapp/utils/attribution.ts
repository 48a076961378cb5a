import Taro from '@tarojs/taro'
import type { z } from 'zod'
import type { AttributionSchema } from '@xianlin/shared'
import { api } from '../api'
import { session } from './session'

type Attribution = z.infer<typeof AttributionSchema>
const FIRST_TOUCH = 'attribution'
const SHARE_OPENS = 'share-opens'
const LEADER = 'leader-code'
const LEADER_CODE = /^[0-9A-HJKMNP-TV-Z]{8}$/
const SHARE_ID = /^[0-9A-Za-z]{16,32}$/

/**
 * Keeps where this visit came from: share cards add `inviter` and `shareId` to the page query,
 * poster QR codes arrive as an encoded `scene`. The invitation is first touch, so an existing
 * value is kept; every share card opened is remembered until it can be reported signed in.
 */
export function rememberAttribution(query: Record<string, string | undefined> | undefined): void {
  if (!query) return
  // A leader's link (`leader=`) or poster (`scene=l_<code>`): kept until it can be bound, signed in.
  const scene = query.scene ? decodeURIComponent(String(query.scene)) : ''
  const leader = String(query.leader ?? (scene.startsWith('l_') ? scene.slice(2) : '')).toUpperCase()
  if (LEADER_CODE.test(leader)) Taro.setStorageSync(LEADER, leader)
  const shareId = query.shareId && SHARE_ID.test(String(query.shareId)) ? String(query.shareId) : undefined
  if (shareId) {
    const opens = shareOpens()
    if (!opens.includes(shareId)) Taro.setStorageSync(SHARE_OPENS, [...opens, shareId].slice(-20))
  }
  if (Taro.getStorageSync(FIRST_TOUCH)) return
  const found: Attribution = {}
  if (query.inviter) found.inviter = String(query.inviter).slice(0, 32)
  if (shareId) found.shareId = shareId
  if (scene && !scene.startsWith('l_')) found.scene = scene.slice(0, 32)
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

/** The leader whose link was opened and who is not bound yet (bound at sign-in), if any. */
export function pendingLeaderCode(): string | null {
  const code = Taro.getStorageSync(LEADER)
  return typeof code === 'string' && LEADER_CODE.test(code) ? code : null
}

/**
 * Binds the signed-in member to the leader whose link they opened. First touch: the server
 * refuses a member who already has a leader (they switch in 我的团长), so any answer settles it.
 */
async function reportLeader(): Promise<void> {
  const code = Taro.getStorageSync(LEADER)
  if (!code || !session.accessToken()) return
  try {
    await api.leaders.bind(String(code))
  } catch (err) {
    if ((err as { code?: string }).code === 'NETWORK') return
  }
  Taro.removeStorageSync(LEADER)
}

/**
 * Once signed in: binds the leader whose link was opened, and tells the server which share cards
 * this user opened (the sharer may earn points). A card that is gone or already counted is forgotten; a network failure keeps it for later.
 */
export async function reportAttribution(): Promise<void> {
  if (!session.accessToken()) return
  await reportLeader()
  for (const shareId of shareOpens()) {
    try {
      await api.shares.open(shareId)
    } catch (err) {
      if ((err as { code?: string }).code === 'NETWORK') return
    }
    Taro.setStorageSync(SHARE_OPENS, shareOpens().filter((id) => id !== shareId))
  }
}
