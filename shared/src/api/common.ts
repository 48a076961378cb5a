import { z } from 'zod'

/** A MongoDB ObjectId as 24 hex characters. */
/**
 * A one-time code (voucher or pickup) as a clerk types or scans it: case, spaces and dashes do not
 * matter; it comes out in its canonical form `XXXX-XXXX-XXXX`.
 */
export const OneTimeCodeSchema = z
  .string()
  .max(40)
  .transform((code) => code.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(/^[0-9A-Z]{12}$/, '券码应为 12 位字母或数字'))
  .transform((code) => `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`)

export const ObjectIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'must be a 24-character id')

/** Route params holding one id: `/:id`. */
/** A calendar day, `YYYY-MM-DD`, that exists (no month 13, no 30 February). */
export const DaySchema = z.iso.date({ error: '日期格式为 YYYY-MM-DD' })

export const IdParamsSchema = z.strictObject({ id: ObjectIdSchema })
export type IdParams = z.infer<typeof IdParamsSchema>

/** No query string accepted. */
export const EmptyQuerySchema = z.strictObject({})

/** One page of a list the server pages with a cursor (the last id of the page before), at most 100. */
export const PageQuerySchema = z.strictObject({ cursor: ObjectIdSchema.optional(), limit: z.coerce.number().int().min(1).max(100).default(20) })
export type PageQuery = z.infer<typeof PageQuerySchema>
