import { useEffect, useState, type ReactNode } from 'react'
import { Button, Space } from 'antd'
import { addDays, businessDay } from '@xianlin/shared'
import { useSession } from '../../session'
import { errorText } from '../../api'

// What every 增长分析 report uses: loading by query, today, and percentages.

/** A rate as a percentage with one decimal, or — when there is none. */
export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`)

/** Loads a report whenever its query changes; the latest answer wins. */
export function useReport<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let current = true
    setError(null)
    load().then(
      (d) => current && setData(d),
      (err) => current && setError(errorText(err, '加载失败')),
    )
    return () => {
      current = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)
  return { data, error }
}

/** Today's business day, in the console's business time zone. */
export function useToday() {
  const { session } = useSession()
  return businessDay(new Date(), session.timeZone)
}

/** A report's own controls (date range and the like), then its CSV export. */
export function ReportToolbar({ onExport, canExport, children }: { onExport: () => void; canExport: boolean; children: ReactNode }) {
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      {children}
      <Button onClick={onExport} disabled={!canExport}>
        导出 CSV
      </Button>
    </Space>
  )
}

/** A report's date range: the last `days` business days, ending today, until the operator picks another. */
export function useDayRange(days: number) {
  const today = useToday()
  const [range, setRange] = useState<[string, string]>([addDays(today, -(days - 1)), today])
  return { today, range, setRange }
}
