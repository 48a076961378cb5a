import type { RunningDatabase } from '../src/db/launcher'

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __TEST_DB__?: RunningDatabase }).__TEST_DB__?.stop()
}
