import { z } from 'zod'

/**
 * Operators (运营后台 accounts): people with a username and password, not WeChat shoppers. Each has
 * one role; a role is a set of permissions, and every console route declares the one it needs.
 */
export const OPERATOR_ROLES = ['admin', 'operations', 'finance', 'analyst'] as const
export const OperatorRoleSchema = z.enum(OPERATOR_ROLES)
export type OperatorRole = z.infer<typeof OperatorRoleSchema>

export const OPERATOR_ROLE_NAMES: Record<OperatorRole, string> = {
  admin: '管理员',
  operations: '运营',
  finance: '财务',
  analyst: '只读分析',
}

export const PERMISSIONS = [
  'operators', // manage operator accounts
  'catalogue', // products
  'activities', // group-buys
  'mall', // points mall items
  'coupons', // coupon templates and grants
  'campaigns', // lifecycle campaigns
  'stores', // stores and staff
  'leaders', // leader applications, suspensions
  'members', // member profiles, point adjustments
  'orders', // order search and timelines
  'refunds', // order refunds and payment anomalies
  'withdrawals', // leader withdrawals
  'liability', // points liability, negative balances
  'reports', // dashboards and reports (read only)
  'audit', // the audit trail
  'rules', // the product's rules
] as const
export const PermissionSchema = z.enum(PERMISSIONS)
export type Permission = z.infer<typeof PermissionSchema>

/** What each role may do (DESIGN.md roles; issue: 管理员 everything, 运营, 财务, 只读分析). */
export const ROLE_PERMISSIONS: Record<OperatorRole, readonly Permission[]> = {
  admin: PERMISSIONS,
  operations: ['catalogue', 'activities', 'mall', 'coupons', 'campaigns', 'stores', 'leaders', 'members', 'orders', 'reports'],
  finance: ['orders', 'refunds', 'withdrawals', 'liability', 'reports'],
  analyst: ['reports'],
}

export const permissionsOf = (role: OperatorRole): readonly Permission[] => ROLE_PERMISSIONS[role]

export const USERNAME_PATTERN = /^[a-z][a-z0-9_.-]{2,31}$/
export const UsernameSchema = z.string().trim().toLowerCase().regex(USERNAME_PATTERN, '用户名为 3–32 位小写字母、数字、._-，以字母开头')
/** Long enough to resist guessing, short enough to type; the server hashes it with scrypt. */
export const NewPasswordSchema = z.string().min(10, '密码至少 10 位').max(128, '密码最多 128 位')

export const OperatorSignInRequestSchema = z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(128) })
export type OperatorSignInRequest = z.infer<typeof OperatorSignInRequestSchema>

export const ChangePasswordRequestSchema = z.strictObject({ currentPassword: z.string().min(1).max(128), newPassword: NewPasswordSchema })
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>

export const CreateOperatorRequestSchema = z.strictObject({ username: UsernameSchema, role: OperatorRoleSchema, displayName: z.string().trim().min(1).max(20).optional() })
export type CreateOperatorRequest = z.infer<typeof CreateOperatorRequestSchema>

export const UpdateOperatorRequestSchema = z.strictObject({ role: OperatorRoleSchema.optional(), disabled: z.boolean().optional() })
export type UpdateOperatorRequest = z.infer<typeof UpdateOperatorRequestSchema>

export const OperatorViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: OperatorRoleSchema,
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
})
export type OperatorView = z.infer<typeof OperatorViewSchema>

/**
 * A console session: the session itself rides in an httpOnly cookie; `csrfToken` is sent back in
 * the `X-CSRF-Token` header of every change (the console keeps it in memory, never in storage).
 */
export const OperatorSessionSchema = z.object({
  operator: OperatorViewSchema,
  permissions: z.array(PermissionSchema),
  csrfToken: z.string(),
  /** The business time zone: the console shows every date in it. */
  timeZone: z.string(),
})
export type OperatorSession = z.infer<typeof OperatorSessionSchema>

export const CreatedOperatorSchema = z.object({ operator: OperatorViewSchema, oneTimePassword: z.string() })
export const OperatorListSchema = z.object({ operators: z.array(OperatorViewSchema) })

export const AuditQuerySchema = z.strictObject({
  actor: z.string().trim().min(1).max(64).optional(),
  action: z.string().trim().min(1).max(64).optional(),
  targetType: z.string().trim().min(1).max(32).optional(),
  targetId: z.string().trim().min(1).max(64).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  /** The `at` and id of the last row of the previous page (`next` of that page). */
  cursor: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})
export type AuditQuery = z.infer<typeof AuditQuerySchema>

export const AuditEntryViewSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  outcome: z.string(),
  details: z.record(z.string(), z.unknown()),
  /** Who acted, as a person reads it: an operator's display name, a member's nickname; null for the system. */
  actorKind: z.enum(['operator', 'member', 'system']),
  actorName: z.string().nullable(),
  /** The object's name (a member's nickname, a store's or product's name), when it has one. */
  targetName: z.string().nullable(),
})
export type AuditEntryView = z.infer<typeof AuditEntryViewSchema>
export const AuditPageSchema = z.object({ entries: z.array(AuditEntryViewSchema), next: z.string().nullable() })
export type AuditPage = z.infer<typeof AuditPageSchema>
