import { randomBytes } from 'node:crypto'
import { Types } from 'mongoose'

/**
 * An ObjectId made of 12 random bytes, for documents whose id travels in share links (groups,
 * assists): 96 bits nobody can step to from their own id, and still an ObjectId everywhere else.
 * Such ids carry no creation time; those documents keep their own `createdAt`.
 */
export function unguessableObjectId(): Types.ObjectId {
  return new Types.ObjectId(randomBytes(12))
}
