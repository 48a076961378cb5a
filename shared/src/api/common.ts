import { z } from 'zod'

/** A MongoDB ObjectId as 24 hex characters. */
export const ObjectIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'must be a 24-character id')

/** Route params holding one id: `/:id`. */
export const IdParamsSchema = z.strictObject({ id: ObjectIdSchema })
export type IdParams = z.infer<typeof IdParamsSchema>

/** No query string accepted. */
export const EmptyQuerySchema = z.strictObject({})
