import { View, Text } from '@tarojs/components'
import { daysOfMonth } from '@xianlin/shared'

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']

interface Props {
  month: string
  today: string
  checked: Map<string, { makeup: boolean }>
  /** The first day a make-up may fill (the server's: the month's first, or the day the member registered). */
  makeupFrom: string
  /** Whether make-ups are left this month: missed days then invite a tap (可补), otherwise they are only greyed. */
  canMakeUp: boolean
  /** Called for a missed day of the current month before today: a make-up candidate. */
  onMissedDay: (day: string) => void
}

/**
 * A month grid: checked days ticked, make-ups marked 补, today ringed; missed days that can be made
 * up are outlined and say 可补, the others greyed.
 */
export default function Calendar({ month, today, checked, makeupFrom, canMakeUp, onMissedDay }: Props) {
  const days = daysOfMonth(month)
  const leading = new Date(`${month}-01T00:00:00Z`).getUTCDay()
  return (
    <View className='calendar'>
      {WEEKDAYS.map((w) => (
        <Text key={w} className='calendar__weekday'>
          {w}
        </Text>
      ))}
      {Array.from({ length: leading }, (_, i) => (
        <View key={`blank-${i}`} className='calendar__cell' />
      ))}
      {days.map((day) => {
        const mark = checked.get(day)
        const missed = !mark && day < today && day >= makeupFrom && day.slice(0, 7) === today.slice(0, 7)
        const makeable = missed && canMakeUp
        const classes = ['calendar__cell', mark ? 'calendar__cell--checked' : '', day === today ? 'calendar__cell--today' : '', missed ? (makeable ? 'calendar__cell--makeable' : 'calendar__cell--missed') : '']
        return (
          <View key={day} className={classes.join(' ')} onClick={() => makeable && onMissedDay(day)}>
            <Text className='calendar__date'>{Number(day.slice(8))}</Text>
            <Text className='calendar__mark'>{mark ? (mark.makeup ? '补' : '✓') : makeable ? '可补' : ''}</Text>
          </View>
        )
      })}
    </View>
  )
}
