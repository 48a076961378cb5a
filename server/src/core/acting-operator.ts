import { AsyncLocalStorage } from 'node:async_hooks'

/** The console operator a request acts for, as the audit trail names them. */
export interface ActingOperator {
  id: string
  username: string
}

const acting = new AsyncLocalStorage<ActingOperator>()

/**
 * Runs a console request's handler as `operator`, so every audit record written inside it names
 * who acted without each service passing it down.
 */
export const runAsOperator = <T>(operator: ActingOperator, task: () => Promise<T>): Promise<T> => acting.run(operator, task)

export const actingOperator = (): ActingOperator | null => acting.getStore() ?? null
