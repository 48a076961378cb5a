import { z } from 'zod'

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
