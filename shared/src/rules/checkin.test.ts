import { addDays, checkinReward, daysOfMonth, isoWeek, streakBefore } from './checkin'

const rules = { cycleDays: 7, dailyPoints: 1, cycleBonusPoints: 10 }

describe('calendar days', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('%s %+d → %s', (day, n, expected) => expect(addDays(day, n)).toBe(expected))

  it('lists the days of a month', () => {
    expect(daysOfMonth('2026-02')).toHaveLength(28)
    expect(daysOfMonth('2028-02').at(-1)).toBe('2028-02-29')
  })
})

describe('streaks', () => {
  const checked = new Set(['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-22'])
  it.each([
    ['2026-11-21', 3],
    ['2026-11-23', 1], // the gap on the 21st reset it
    ['2026-11-18', 0],
  ])('before %s the streak is %d', (day, n) => expect(streakBefore(checked, day)).toBe(n))
})

describe('check-in rewards over the 7-day cycle', () => {
  it.each([
    [0, 1, 1],
    [5, 6, 1],
    [6, 7, 11], // day 7 pays the bonus
    [7, 1, 1], // and the cycle starts again
    [13, 7, 11],
  ])('after a streak of %d: cycle day %d pays %d', (streak, cycleDay, points) => {
    expect(checkinReward(streak, rules)).toMatchObject({ cycleDay, points })
  })
})

describe('isoWeek', () => {
  it.each([
    ['2026-11-23', '2026-W48'], // a Monday
    ['2026-11-29', '2026-W48'], // its Sunday
    ['2026-11-30', '2026-W49'],
    ['2027-01-01', '2026-W53'], // a Friday still in 2026's last week
    ['2024-12-30', '2025-W01'],
  ])('%s is in %s', (day, week) => expect(isoWeek(day)).toBe(week))
})
