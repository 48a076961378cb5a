/**
 * A set of members by their member number (each member's small dense number, given by the fold:
 * member-profiles' `no`), as a bitmap: bit n of byte n >> 3. A day's set of 100,000 members is at
 * most 12.5 KB whoever is in it, where their ObjectIds would be 24 bytes each; the embedded
 * database's cost of a read grows with the bytes it decodes.
 */
export class MemberSet implements Iterable<number> {
  private count: number | undefined

  private constructor(private readonly bits: Uint8Array) {}

  static of(numbers: Iterable<number>): MemberSet {
    const list = [...numbers]
    const highest = list.reduce((a, b) => (b > a ? b : a), -1)
    const bits = new Uint8Array(highest >= 0 ? (highest >> 3) + 1 : 0)
    for (const n of list) {
      if (!Number.isInteger(n) || n < 0) throw new Error(`member number ${n} is not a whole number ≥ 0`)
      bits[n >> 3]! |= 1 << (n & 7)
    }
    return new MemberSet(bits)
  }

  static fromBytes(bytes: Uint8Array): MemberSet {
    return new MemberSet(bytes)
  }

  /** The members in any of `sets`. */
  static union(sets: Iterable<MemberSet>): MemberSet {
    const all = [...sets]
    const bits = new Uint8Array(all.reduce((n, s) => Math.max(n, s.bits.length), 0))
    for (const s of all) for (let i = 0; i < s.bits.length; i++) bits[i]! |= s.bits[i]!
    return new MemberSet(bits)
  }

  bytes(): Uint8Array {
    return this.bits
  }

  has(n: number): boolean {
    return ((this.bits[n >> 3] ?? 0) & (1 << (n & 7))) !== 0
  }

  get size(): number {
    if (this.count === undefined) {
      let count = 0
      for (const byte of this.bits) count += BITS_IN[byte]!
      this.count = count
    }
    return this.count
  }

  /** How many of these members are in `other` too. */
  countIn(other: MemberSet): number {
    let count = 0
    const n = Math.min(this.bits.length, other.bits.length)
    for (let i = 0; i < n; i++) count += BITS_IN[this.bits[i]! & other.bits[i]!]!
    return count
  }

  /** One past the highest number the bitmap can hold. */
  get span(): number {
    return this.bits.length * 8
  }

  /** Calls `each` with every member, in ascending order (faster than iterating for large sets). */
  forEach(each: (n: number) => void): void {
    const bits = this.bits
    for (let i = 0; i < bits.length; i++) {
      const byte = bits[i]!
      if (byte === 0) continue
      for (let b = 0; b < 8; b++) if (byte & (1 << b)) each((i << 3) | b)
    }
  }

  *[Symbol.iterator](): Iterator<number> {
    const members: number[] = []
    this.forEach((n) => members.push(n))
    yield* members
  }
}

const BITS_IN = Uint8Array.from({ length: 256 }, (_, byte) => {
  let n = 0
  for (let b = byte; b; b >>= 1) n += b & 1
  return n
})
