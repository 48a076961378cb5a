import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import type { PublicRules } from '@xianlin/shared'
import { api } from '../api'

const KEY = 'rules'
let asked: Promise<PublicRules | null> | null = null

/** The rules the server has in force, asked once per launch; null until they arrive. */
function fetchRules(): Promise<PublicRules | null> {
  asked ??= api
    .rules()
    .then(({ rules }) => {
      Taro.setStorageSync(KEY, rules)
      return rules
    })
    .catch(() => {
      asked = null // asked again by the next page
      return null
    })
  return asked
}

/**
 * The numbers pages quote about rules (check-in bonus, points to yuan, invite rewards…), from the
 * server, never typed into copy. The last rules seen show at once; this launch's answer replaces them.
 */
export function useRules(): PublicRules | null {
  const [rules, setRules] = useState<PublicRules | null>(stored)
  useEffect(() => {
    let live = true
    void fetchRules().then((fresh) => live && fresh && setRules(fresh))
    return () => {
      live = false
    }
  }, [])
  return rules
}

function stored(): PublicRules | null {
  const value = Taro.getStorageSync(KEY)
  return value && typeof value === 'object' && 'checkin' in value ? (value as PublicRules) : null
}
