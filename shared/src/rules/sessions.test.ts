import { dayText } from '../time'
import { orderableDays, sessionPromise, sessionTimes } from './sessions'

const hours = { cutoffHour: 23, pickupHour: 16, pickupDaysAfter: 1 }

describe('sessionTimes', () => {
  it('cuts off at 23:00 business time and picks up the next day from 16:00', () => {
    expect(sessionTimes('2026-12-07', hours, 'Asia/Shanghai')).toEqual({
      cutoffAt: new Date('2026-12-07T15:00:00Z'),
      pickupDay: '2026-12-08',
      pickupFrom: new Date('2026-12-08T08:00:00Z'),
    })
  })
  it('keeps the wall-clock hours across a change of clocks (New York, 2026-03-08)', () => {
    const t = sessionTimes('2026-03-07', { cutoffHour: 23, pickupHour: 16, pickupDaysAfter: 1 }, 'America/New_York')
    expect(t.cutoffAt).toEqual(new Date('2026-03-08T04:00:00Z')) // 23:00 EST
    expect(t.pickupFrom).toEqual(new Date('2026-03-08T20:00:00Z')) // 16:00 EDT
  })
})

describe('orderableDays', () => {
  it.each([
    ['2026-12-07T14:59:59Z', 'Asia/Shanghai', ['2026-12-07', '2026-12-08']], // 22:59:59 in Shanghai: today's session
    ['2026-12-07T15:00:00Z', 'Asia/Shanghai', ['2026-12-08', '2026-12-09']], // 23:00:00: tomorrow's
    ['2026-12-07T16:30:00Z', 'Asia/Shanghai', ['2026-12-08', '2026-12-09']], // 00:30 on the 8th while UTC is still on the 7th
    ['2026-12-08T06:59:59Z', 'America/Los_Angeles', ['2026-12-07', '2026-12-08']], // 22:59:59 on the 7th, UTC already on the 8th
    ['2026-12-08T07:00:00Z', 'America/Los_Angeles', ['2026-12-08', '2026-12-09']],
  ])('at %s in %s orders for %j', (now, tz, days) => expect(orderableDays(new Date(now), 23, 1, tz)).toEqual(days))
})

describe('how days read', () => {
  it.each([
    ['2026-12-07', '2026-12-07', '今天'],
    ['2026-12-08', '2026-12-07', '明天'],
    ['2026-12-06', '2026-12-07', '昨天'],
    ['2026-12-20', '2026-12-07', '12月20日'],
    ['2027-12-07', '2026-12-07', '2027年12月7日'], // an activity ending next year says so
    ['2027-01-01', '2026-12-31', '明天'],
  ])('%s seen from %s reads %s', (day, today, text) => expect(dayText(day, today)).toBe(text))

  it('says when a session cuts off and when its goods can be picked up', () => {
    const s = { cutoffAt: '2026-12-07T15:00:00Z', pickupDay: '2026-12-08', pickupFrom: '2026-12-08T08:00:00Z' }
    expect(sessionPromise(s, new Date('2026-12-07T02:00:00Z'), 'Asia/Shanghai')).toEqual({ cutoff: '今日 23:00 截单', pickup: '明日 16:00 后自提' })
    expect(sessionPromise({ cutoffAt: '2026-12-08T15:00:00Z', pickupDay: '2026-12-09', pickupFrom: '2026-12-09T08:00:00Z' }, new Date('2026-12-07T15:30:00Z'), 'Asia/Shanghai')).toEqual({ cutoff: '明日 23:00 截单', pickup: '后天 16:00 后自提' })
  })
})
