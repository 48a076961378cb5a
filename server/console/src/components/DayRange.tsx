import dayjs, { type Dayjs } from 'dayjs'
import { DatePicker } from 'antd'

/** A business-day range (YYYY-MM-DD), never past `today`. */
export function DayRange({ value, onChange, today }: { value: [string, string]; onChange: (range: [string, string]) => void; today: string }) {
  return (
    <DatePicker.RangePicker
      allowClear={false}
      value={[dayjs(value[0]), dayjs(value[1])]}
      disabledDate={(d: Dayjs) => d.format('YYYY-MM-DD') > today}
      onChange={(v) => v?.[0] && v[1] && onChange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
    />
  )
}
