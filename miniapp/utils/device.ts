import Taro from '@tarojs/taro'

const KEY = 'device-id'

/**
 * A random id kept in this device's storage and sent at sign-in: the server uses it to notice
 * several accounts on one phone (invitation abuse). It identifies nothing about the person.
 */
export function deviceId(): string {
  const existing = Taro.getStorageSync(KEY)
  if (typeof existing === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(existing)) return existing
  const fresh = Array.from({ length: 24 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('')
  Taro.setStorageSync(KEY, fresh)
  return fresh
}
