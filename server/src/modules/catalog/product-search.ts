import { pinyin } from 'pinyin-pro'

/** A product name's pinyin without tones or spaces (`caomei`) and its initials (`cm`), lower case. */
export interface SearchKeys {
  pinyin: string
  initials: string
}

const compact = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')

/** The search keys of a name, through pinyin-pro (runs of letters and digits stay as they are). */
export function searchKeysOf(name: string): SearchKeys {
  // A run of Latin text stays one piece from pinyin-pro: its words each give an initial.
  const parts = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
    .flatMap((p) => p.split(/\s+/))
    .map(compact)
    .filter(Boolean)
  return { pinyin: parts.join(''), initials: parts.map((p) => p[0]).join('') }
}

export interface SearchQuery {
  text: string
  /** Latin letters and digits only: typed as pinyin or initials. */
  latin: boolean
  /** The query's own pinyin when it holds Chinese (草梅 → caomei finds 草莓). */
  pinyin: string | null
}

export function searchQuery(raw: string): SearchQuery {
  const text = raw.trim().toLowerCase()
  const latin = /^[a-z0-9\s]+$/.test(text)
  return { text, latin, pinyin: /\p{Script=Han}/u.test(text) ? searchKeysOf(text).pinyin : null }
}

export interface Searchable {
  name: string
  subtitle: string
  category: string
  tags: readonly string[]
  keys: SearchKeys
}

/**
 * How well a product matches a search, 0 for not at all (DESIGN.md, Shop: search): the name
 * exactly, then its start, then anywhere in it; then the selling point, category or tags; then,
 * with pinyin on, the name's pinyin or initials (`caomei`, `cm`), a homophone (草梅 for 草莓), and
 * last a near miss (one character or letter off). Higher first; ties go to sales.
 */
export function matchScore(q: SearchQuery, p: Searchable, pinyinOn: boolean): number {
  const name = p.name.toLowerCase()
  if (name === q.text) return 100
  if (name.startsWith(q.text)) return 90
  if (name.includes(q.text)) return 80
  if ([p.subtitle, p.category, ...p.tags].some((t) => t.toLowerCase().includes(q.text))) return 60
  if (pinyinOn && q.latin) {
    const typed = compact(q.text)
    if (p.keys.pinyin.startsWith(typed)) return 58
    if (p.keys.initials.startsWith(typed)) return 56
    if (typed.length >= 2 && p.keys.pinyin.includes(typed)) return 52
    if (typed.length >= 2 && p.keys.initials.includes(typed)) return 50
    if (typed.length >= 4 && nearIn(typed, p.keys.pinyin)) return 34
  }
  if (pinyinOn && q.pinyin && p.keys.pinyin.includes(q.pinyin)) return 48
  // One character off in three or more (红颜莓); in two, one off is half the word (苹果 is not 芒果).
  const chars = compact(q.text)
  if ([...chars].length >= 3 && !q.latin && nearIn(chars, compact(p.name))) return 35
  return 0
}

/** Whether some stretch of `text` is one edit from `word` (a letter or character changed, added, dropped, or two swapped). */
function nearIn(word: string, text: string): boolean {
  const w = [...word]
  const t = [...text]
  for (let len = w.length - 1; len <= w.length + 1; len++) {
    for (let i = 0; i + len <= t.length; i++) if (len > 0 && editDistance(w, t.slice(i, i + len)) <= 1) return true
  }
  return false
}

/** Optimal string alignment distance, stopping early: the answer only matters up to 2. */
function editDistance(a: string[], b: string[]): number {
  if (Math.abs(a.length - b.length) > 1) return 2
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}
