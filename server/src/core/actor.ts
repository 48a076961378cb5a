import type { Role } from '@xianlin/shared'

/** Who is acting: the user a verified access token names, with roles and stores as the database has them now. */
export interface Actor {
  userId: string
  roles: Role[]
  storeIds: string[]
  /** Roles the account holds but may not use now (a suspended leader). */
  suspendedRoles?: Role[]
}
