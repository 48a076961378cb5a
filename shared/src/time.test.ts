import { businessDateTimeText, businessDay, startOfBusinessDay, businessHour, businessTimeText, isValidTimeZone } from './time'

describe('businessDay reads an instant in the business timezone, not the server clock', () => {
  it.each([
    ['2026-11-22T15:59:59Z', 'Asia/Shanghai', '2026-11-22'],
    ['2026-11-22T16:00:00Z', 'Asia/Shanghai', '2026-11-23'],
    ['2026-11-22T16:00:00Z', 'UTC', '2026-11-22'],
    ['2026-03-08T07:30:00Z', 'America/New_York', '2026-03-08'],
  ])('%s in %s is %s', (iso, tz, day) => expect(businessDay(new Date(iso), tz)).toBe(day))

  it('knows real zones and rejects made-up ones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true)
    expect(isValidTimeZone('Asia/Shangai')).toBe(false)
  })
})

describe('businessHour', () => {
  it.each([
    ['2026-11-23T11:59:00Z', 'Asia/Shanghai', 19],
    ['2026-11-23T12:00:00Z', 'Asia/Shanghai', 20],
    ['2026-11-23T16:00:00Z', 'Asia/Shanghai', 0],
  ])('%s in %s is hour %d', (iso, tz, hour) => expect(businessHour(new Date(iso), tz)).toBe(hour))
})

describe('businessTimeText', () => {
  it('says when in the business time zone', () => {
    expect(businessTimeText(new Date('2026-11-23T06:05:00Z'), 'Asia/Shanghai')).toBe('11月23日 14:05')
    expect(businessTimeText(new Date('2026-12-31T16:30:00Z'), 'Asia/Shanghai')).toBe('1月1日 00:30')
  })
})

describe('businessDateTimeText', () => {
  it('writes the date and time in the business time zone, not the machine one', () => {
    expect(businessDateTimeText(new Date('2026-11-23T16:05:00Z'), 'Asia/Shanghai')).toBe('2026-11-24 00:05')
    expect(businessDateTimeText(new Date('2026-11-23T16:05:00Z'), 'America/Los_Angeles')).toBe('2026-11-23 08:05')
  })
})

describe('startOfBusinessDay', () => {
  it('is midnight in the business time zone, as an instant', () => {
    expect(startOfBusinessDay('2026-11-24', 'Asia/Shanghai').toISOString()).toBe('2026-11-23T16:00:00.000Z')
    expect(startOfBusinessDay('2026-11-24', 'UTC').toISOString()).toBe('2026-11-24T00:00:00.000Z')
    // Los Angeles moves from PDT (−7) to PST (−8) on 2026-11-01 at 02:00.
    expect(startOfBusinessDay('2026-11-01', 'America/Los_Angeles').toISOString()).toBe('2026-11-01T07:00:00.000Z')
    expect(startOfBusinessDay('2026-11-02', 'America/Los_Angeles').toISOString()).toBe('2026-11-02T08:00:00.000Z')
  })

  it('round-trips with businessDay', () => {
    for (const zone of ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York']) {
      for (const day of ['2026-01-01', '2026-03-29', '2026-10-25', '2026-12-31']) {
        const start = startOfBusinessDay(day, zone)
        expect(businessDay(start, zone)).toBe(day)
        expect(businessDay(new Date(start.getTime() - 1), zone)).not.toBe(day)
      }
    }
  })
})

describe('the hours around midnight and 08:00 in Shanghai (where slicing UTC strings put dates a day early)', () => {
  it.each([
    // Shanghai wall clock        instant (UTC)              day           date and time          short
    ['23:59 on 11月23日', '2026-11-23T15:59:00Z', '2026-11-23', '2026-11-23 23:59', '11月23日 23:59', 23],
    ['00:01 on 11月24日', '2026-11-23T16:01:00Z', '2026-11-24', '2026-11-24 00:01', '11月24日 00:01', 0],
    ['07:59 on 11月24日', '2026-11-23T23:59:00Z', '2026-11-24', '2026-11-24 07:59', '11月24日 07:59', 7],
    ['08:01 on 11月24日', '2026-11-24T00:01:00Z', '2026-11-24', '2026-11-24 08:01', '11月24日 08:01', 8],
  ])('%s', (_, iso, day, dateTime, short, hour) => {
    const at = new Date(iso)
    expect(businessDay(at, 'Asia/Shanghai')).toBe(day)
    expect(businessDateTimeText(at, 'Asia/Shanghai')).toBe(dateTime)
    expect(businessTimeText(at, 'Asia/Shanghai')).toBe(short)
    expect(businessHour(at, 'Asia/Shanghai')).toBe(hour)
    const midnight = startOfBusinessDay(day, 'Asia/Shanghai')
    expect(midnight.getTime()).toBeLessThanOrEqual(at.getTime())
    expect(at.getTime() - midnight.getTime()).toBeLessThan(86_400_000)
  })
})
