import type { OperatorRole, Permission, Role } from '@xianlin/shared'

/** Who is acting: the user a verified access token names, with roles and stores as the database has them now. */
export interface Actor {
  userId: string
  roles: Role[]
  storeIds: string[]
  /** Roles the account holds but may not use now (a suspended leader). */
  suspendedRoles?: Role[]
}

/** Who is acting in the operator console: a signed-in operator, with the permissions of their role now. */
export interface OperatorActor {
  operatorId: string
  username: string
  role: OperatorRole
  permissions: readonly Permission[]
  /** The console session (signing out ends this one; a password change ends the others). */
  sessionId: string
  mustChangePassword: boolean
}
