import { useRef } from 'react'
import Taro, { useLoad, useShareAppMessage } from '@tarojs/taro'
import type { CreateShareRequest } from '@xianlin/shared'
import { api } from '../api'
import { rememberAttribution, reportAttribution } from '../utils/attribution'
import { h5Link } from '../utils/links'
import { session } from '../utils/session'

type SharePage = CreateShareRequest['page']

/**
 * A page others can arrive at from a share card: remembers who shared it (for login attribution
 * and the sharer's reward) and, when the visitor is signed in, reports the open.
 */
export function useShareEntry(onLoad?: (params: Record<string, string | undefined>) => void) {
  useLoad((params: Record<string, string | undefined>) => {
    rememberAttribution(params)
    void reportAttribution()
    onLoad?.(params)
  })
}

/**
 * Makes the page shareable as a card. Each share gets its own id from the server so the sharer
 * can be rewarded when a friend opens it; WeChat waits up to 3 s for `promise`, and the plain
 * page path is the fallback. The page config needs `enableShareAppMessage: true`.
 */
export function useShareCard(card: () => { page: SharePage; targetId?: string; title: string; imageUrl?: string }) {
  const latest = useRef(card)
  latest.current = card
  useShareAppMessage(() => {
    const { page, targetId, title, imageUrl } = latest.current()
    const fallback = { title, imageUrl, path: `/${page}${targetId ? `?id=${targetId}` : ''}` }
    if (!session.accessToken()) return fallback
    return {
      ...fallback,
      promise: api.shares
        .create(targetId ? { page, targetId } : { page })
        .then(({ path }) => ({ title, imageUrl, path }))
        .catch(() => fallback),
    }
  })
}

/** In H5 there is no share sheet: the share becomes a link the user copies into a chat. */
export async function copyShareLink(page: SharePage, targetId?: string): Promise<string> {
  const { path } = await api.shares.create(targetId ? { page, targetId } : { page })
  const link = h5Link(path)
  await Taro.setClipboardData({ data: link }).catch(() => undefined)
  return link
}
