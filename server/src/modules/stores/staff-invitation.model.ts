import { Schema, model, type InferSchemaType } from 'mongoose'

/**
 * A one-time invitation for a clerk to join a store (`_id` is its code). Accepting it is one
 * guarded update (`usedBy: null`, not expired), so a code makes exactly one clerk.
 */
const StaffInvitationSchema = new Schema(
  {
    _id: { type: String, required: true },
    storeId: { type: Schema.Types.ObjectId, required: true },
    position: { type: String, enum: ['clerk', 'manager'], required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedBy: { type: Schema.Types.ObjectId, default: null },
    usedAt: { type: Date, default: null },
  },
  { versionKey: false },
)

export type StaffInvitation = InferSchemaType<typeof StaffInvitationSchema>
export const StaffInvitationModel = model('StaffInvitation', StaffInvitationSchema, 'staff_invitations')
