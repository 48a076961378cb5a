import { z } from 'zod'

/** Binding a phone: the getPhoneNumber button's code, or (development only) a typed number. */
export const BindPhoneRequestSchema = z.union([
  z.strictObject({ code: z.string().min(1).max(128) }),
  z.strictObject({ phoneNumber: z.string().regex(/^1[3-9]\d{9}$/, '请输入 11 位手机号') }),
])
export type BindPhoneRequest = z.infer<typeof BindPhoneRequestSchema>
export const PhoneViewSchema = z.object({ phoneMasked: z.string().nullable() })
