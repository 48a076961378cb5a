import mongoose from 'mongoose'

/**
 * The driver's collection without its document typing: these tests store string and number ids
 * and operator shapes the typings refuse, on purpose.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawCollection = any
import { connectDatabase } from '../connection'
import { testDatabaseUri } from '../../../test/harness'

/**
 * The database conformance suite (ARCHITECTURE.md, Database): every query and update shape the
 * code relies on, run on the embedded database and checked against MongoDB's documented result.
 * `shape()` names the operators a test covers; `operator-usage.test.ts` reads those names and
 * fails when a model or service uses an operator no shape covers.
 */
export function conformanceSuite(file: string): { engine: () => 'mongodb' | 'ferretdb'; collection: (name: string) => RawCollection; uri: string } {
  let engine: 'mongodb' | 'ferretdb' = 'mongodb'
  const uri = testDatabaseUri(`conf_${file.split('/').pop()!.split('.')[0]}`)
  beforeAll(async () => {
    engine = (await connectDatabase(uri)).engine
  })
  afterAll(async () => {
    await mongoose.connection.dropDatabase()
    await mongoose.disconnect()
  })
  let n = 0
  return {
    engine: () => engine,
    uri,
    // A fresh collection per call, so tests do not meet.
    collection: (name: string) => mongoose.connection.db!.collection(`${name}_${++n}`) as unknown as RawCollection,
  }
}

/** One covered shape: the operators it exercises (as they appear in code) and what it shows. */
export function shape(operators: string | readonly string[], what: string, fn: () => Promise<void>): void {
  it(`${[operators].flat().join(' ')}: ${what}`, fn)
}
