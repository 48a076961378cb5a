import { useEffect, useState } from 'react'

/** "还剩 29 天 23 小时" until `iso`, recomputed every `everyMs` (a minute unless told). */
export function useCountdown(iso: string | null, everyMs = 60_000) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  if (!iso) return ''
  const left = Math.max(0, Date.parse(iso) - now)
  const days = Math.floor(left / 86_400_000)
  const hours = Math.floor((left % 86_400_000) / 3_600_000)
  const minutes = Math.floor((left % 3_600_000) / 60_000)
  const seconds = Math.floor((left % 60_000) / 1000)
  if (days > 0) return `还剩 ${days} 天 ${hours} 小时`
  const hoursText = hours > 0 ? `${hours} 小时 ` : ''
  return everyMs < 60_000 ? `还剩 ${hoursText}${minutes} 分 ${seconds} 秒` : `还剩 ${hoursText}${minutes} 分`
}
