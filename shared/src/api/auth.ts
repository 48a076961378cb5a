import { z } from 'zod'

export const ROLES = ['shopper', 'leader', 'staff', 'admin'] as const
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

/** Where a first visit came from (share card or poster QR); sent with login so it can be attributed. */
export const AttributionSchema = z.strictObject({
  inviter: z.string().min(1).max(32).optional(),
  shareId: z.string().min(1).max(64).optional(),
  scene: z.string().min(1).max(32).optional(),
})

/** A random id the mini-program keeps in its storage (duplicate-account checks). */
const DeviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/)

export const WechatLoginRequestSchema = z.strictObject({
  /** The one-time code from `Taro.login()`. */
  code: z.string().min(1).max(128),
  attribution: AttributionSchema.optional(),
  deviceId: DeviceIdSchema.optional(),
})
export type WechatLoginRequest = z.infer<typeof WechatLoginRequestSchema>

export const DevLoginRequestSchema = z.strictObject({
  nickname: z.string().trim().min(1).max(20).optional(),
  role: RoleSchema.optional(),
  attribution: AttributionSchema.optional(),
  deviceId: DeviceIdSchema.optional(),
})
export type DevLoginRequest = z.infer<typeof DevLoginRequestSchema>

export const RefreshRequestSchema = z.strictObject({ refreshToken: z.string().min(1).max(2048) })
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>

export const UserViewSchema = z.object({
  id: z.string(),
  nickname: z.string(),
  avatarUrl: z.string().nullable(),
  roles: z.array(RoleSchema),
  storeIds: z.array(z.string()),
  phoneMasked: z.string().nullable(),
  createdAt: z.string(),
})
export type UserView = z.infer<typeof UserViewSchema>

export const AuthResponseSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  user: UserViewSchema,
})
export type AuthResponse = z.infer<typeof AuthResponseSchema>

export const MeResponseSchema = z.object({ user: UserViewSchema })
export type MeResponse = z.infer<typeof MeResponseSchema>

/** 注销账号 asks the member to confirm in words, so no stray request deletes an account. */
export const DeleteAccountRequestSchema = z.strictObject({ confirm: z.literal('注销账号') })
