import { z } from 'zod'
import { ObjectIdSchema } from './common'
import { isValidTimeZone } from '../time'

export const StoreViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  hours: z.string(),
  phone: z.string().nullable(),
})
export type StoreView = z.infer<typeof StoreViewSchema>

export const StoreListResponseSchema = z.object({ stores: z.array(StoreViewSchema) })
export type StoreListResponse = z.infer<typeof StoreListResponseSchema>

export const CreateStoreRequestSchema = z.strictObject({
  code: z.string().regex(/^[A-Z0-9-]{2,20}$/, 'uppercase letters, digits and dashes'),
  name: z.string().trim().min(1).max(40),
  address: z.string().trim().min(1).max(120),
  hours: z.string().trim().min(1).max(40),
  phone: z.string().regex(/^[0-9-]{5,20}$/).nullable().optional(),
  /** The store's own time zone (defaults to the business one). */
  timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone').optional(),
})
export type CreateStoreRequest = z.infer<typeof CreateStoreRequestSchema>

export const UserIdParamsSchema = z.strictObject({ userId: ObjectIdSchema })

export const AssignStaffRequestSchema = z.strictObject({
  storeIds: z.array(ObjectIdSchema).max(20),
  position: z.enum(['clerk', 'manager']).default('clerk'),
})
export type AssignStaffRequest = z.infer<typeof AssignStaffRequestSchema>

// 运营后台 → 门店与店员

export const STAFF_POSITION_TEXT = { clerk: '店员', manager: '店长' } as const
export const StaffPositionSchema = z.enum(['clerk', 'manager'])

export const AdminStoreSchema = StoreViewSchema.extend({
  code: z.string(),
  timeZone: z.string(),
  staff: z.array(z.object({ userId: z.string(), nickname: z.string(), position: StaffPositionSchema.nullable() })),
})
export type AdminStore = z.infer<typeof AdminStoreSchema>

export const UpdateStoreRequestSchema = CreateStoreRequestSchema.omit({ code: true }).partial().refine((b) => Object.keys(b).length > 0, '没有要修改的内容')
export type UpdateStoreRequest = z.infer<typeof UpdateStoreRequestSchema>

/** A one-time invitation for a clerk to join a store: its code is shown once, as text and as a QR code. */
export const StaffInvitationSchema = z.object({
  code: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  position: StaffPositionSchema,
  expiresAt: z.string(),
  /** The mini-program page that accepts it (the QR code opens it). */
  path: z.string(),
})
export type StaffInvitation = z.infer<typeof StaffInvitationSchema>

export const CreateStaffInvitationRequestSchema = z.strictObject({ position: StaffPositionSchema.default('clerk') })

/** An invitation code as typed or scanned: 8 symbols, case and spaces ignored. */
export const InvitationCodeParamsSchema = z.strictObject({
  code: z
    .string()
    .transform((c) => c.replace(/[\s-]/g, '').toUpperCase())
    .pipe(z.string().regex(/^[0-9A-Z]{8}$/, '邀请码为 8 位字母或数字')),
})

export const StoreStaffParamsSchema = z.strictObject({ id: ObjectIdSchema, userId: ObjectIdSchema })

/** The page where a clerk accepts an invitation. */
export const staffJoinPath = (code: string) => `/pages/staff-join/index?code=${code}`
