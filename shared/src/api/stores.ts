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
