import { matchScore, searchKeysOf, searchQuery, type Searchable } from './product-search'

const product = (name: string, extra: Partial<Searchable> = {}): Searchable => ({ name, subtitle: '', category: '水果', tags: [], keys: searchKeysOf(name), ...extra })
const strawberry = product('丹东红颜草莓 2 斤')
const score = (q: string, p = strawberry, pinyinOn = true) => matchScore(searchQuery(q), p, pinyinOn)

describe('product search', () => {
  it('keeps a name’s pinyin and initials', () => {
    expect(searchKeysOf('丹东红颜草莓 2 斤')).toEqual({ pinyin: 'dandonghongyancaomei2jin', initials: 'ddhycm2j' })
    expect(searchKeysOf('Royal Gala 苹果')).toEqual({ pinyin: 'royalgalapingguo', initials: 'rgpg' })
  })

  it.each([
    ['草莓', 80],
    ['caomei', 52], // pinyin inside the name
    ['dandong', 58], // pinyin from the start
    ['cm', 50], // initials
    ['ddhy', 56],
    ['草梅', 48], // a homophone: same pinyin
    ['caomie', 34], // two letters swapped
    ['红颜莓', 35], // one character off
  ])('finds it by %s (score %d)', (q, expected) => expect(score(q)).toBe(expected))

  it('ranks an exact name above a start above a part of it, and finds nothing for what is not there', () => {
    expect(score('丹东红颜草莓 2 斤')).toBe(100)
    expect(score('丹东')).toBe(90)
    expect(score('榴莲')).toBe(0)
    expect(score('xigua')).toBe(0)
    expect(matchScore(searchQuery('苹果'), product('拼团芒果'), true)).toBe(0) // one character of two in common is not a near miss
  })

  it('matches only the text when pinyin search is off', () => {
    expect(score('caomei', strawberry, false)).toBe(0)
    expect(score('红颜莓', strawberry, false)).toBe(35) // still a near miss by character
    expect(score('草梅', strawberry, false)).toBe(0) // two characters, one off: too far without pinyin
    expect(score('草莓', strawberry, false)).toBe(80)
  })
})
