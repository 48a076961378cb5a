import fc from 'fast-check'
import { formatPaidEntries, parsePaidEntries, scanPayments } from './member-payments'

/** The one-pass reader of a day's payers reads what the writer wrote, as the plain parser does. */
it('reads every payer entry back as written', () => {
  const entry = fc.record({ key: fc.stringMatching(/^[0-9a-f]{24}$/), orders: fc.integer({ min: 0, max: 500 }), paidFen: fc.integer({ min: -1_000_000, max: 100_000_000 }) })
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 30 }), fc.constantFrom('', ' ', '  '), (entries, pad) => {
      const text = pad + formatPaidEntries(entries) + pad
      expect(scanPayments(text).map((p) => ({ key: p.u, orders: p.n, paidFen: p.fen }))).toEqual(parsePaidEntries(text))
      expect(parsePaidEntries(text)).toEqual(entries)
    }),
    { numRuns: 300 },
  )
})
