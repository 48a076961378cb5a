import { createContext, useContext } from 'react'
import type { OperatorSession, Permission } from '@xianlin/shared'

export interface SessionState {
  session: OperatorSession
  /** Replaces the session after a change (password changed, say), or null once signed out. */
  setSession: (s: OperatorSession | null) => void
}

export const SessionContext = createContext<SessionState | null>(null)

export function useSession(): SessionState {
  const state = useContext(SessionContext)
  if (!state) throw new Error('useSession outside a signed-in console')
  return state
}

export const can = (session: OperatorSession, permission: Permission) => session.permissions.includes(permission)
