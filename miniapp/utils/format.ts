/** `2026-11-23T…` or `2026-11-23` → `11月23日`. */
export function monthDay(isoOrDay: string): string {
  const [, m, d] = isoOrDay.slice(0, 10).split('-')
  return `${Number(m)}月${Number(d)}日`
}

/** `2026-11-23T08:05:00Z` → `2026-11-23 16:05` in the phone's own time zone. */
export function dateTime(iso: string): string {
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** `2026-11-23T…` → `2026.11.23`. */
export function dotDate(iso: string): string {
  return iso.slice(0, 10).replace(/-/g, '.')
}

/** `2027-11-23` → `2027年11月23日`. */
export function fullDate(isoOrDay: string): string {
  const [y, m, d] = isoOrDay.slice(0, 10).split('-')
  return `${y}年${Number(m)}月${Number(d)}日`
}
