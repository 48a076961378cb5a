import { formatFen, yuanToFen } from './money'

describe('formatFen shows integer fen as yuan', () => {
  it.each([
    [0, {}, '¥0.00'],
    [1, {}, '¥0.01'],
    [1990, {}, '¥19.90'],
    [-250, {}, '-¥2.50'],
    [2000, { trimZeros: true }, '¥20'],
    [1990, { trimZeros: true }, '¥19.9'],
    [1999, { symbol: false }, '19.99'],
  ])('%d fen %o → %s', (fen, opts, text) => expect(formatFen(fen, opts)).toBe(text))

  it('refuses fractional fen', () => expect(() => formatFen(1.5)).toThrow(RangeError))
})

describe('yuanToFen parses what a person types', () => {
  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.05', 1205],
    [' 0.01 ', 1],
    ['12.345', null],
    ['-1', null],
    ['abc', null],
  ])('%s → %s', (text, fen) => expect(yuanToFen(text)).toBe(fen))
})
