import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { session } from '../utils/session'

/**
 * Data of a members-only page: loaded each time the page shows and on pull-down refresh, only
 * when signed in. `load` may change between renders (it is read when called).
 */
export function useSignedInData<T>(load: () => Promise<T>) {
  const [signedIn, setSignedIn] = useState(() => Boolean(session.accessToken()))
  const [data, setData] = useState<T | null>(null)
  const [failed, setFailed] = useState(false)
  const loader = useRef(load)
  loader.current = load

  const reload = useCallback(async () => {
    setFailed(false)
    try {
      setData(await loader.current())
    } catch {
      setFailed(true)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])

  useDidShow(() => {
    const has = Boolean(session.accessToken())
    setSignedIn(has)
    if (has) void reload()
  })
  usePullDownRefresh(() => void reload())

  return { signedIn, data, setData, failed, reload }
}

/**
 * `useSignedInData` for a page with tabs: loads the shown tab's data, and reloads (showing a
 * skeleton) when the tab changes.
 */
export function useTabbedData<Tab, T>(initial: Tab, load: (tab: Tab) => Promise<T>) {
  const [tab, setTab] = useState(initial)
  const result = useSignedInData(() => load(tab))
  const { reload, setData } = result
  const shownTab = useRef(tab)
  useEffect(() => {
    if (shownTab.current === tab) return
    shownTab.current = tab
    setData(null)
    void reload()
  }, [tab, reload, setData])
  return { ...result, tab, setTab }
}
