import { Schema, model } from 'mongoose'

/** Who did what to whom, for operators to read back: admin adjustments, verifications, refusals. */
const AuditLogSchema = new Schema(
  {
    actorId: { type: Schema.Types.ObjectId, default: null },
    /** The console operator who acted, when one did. */
    operator: { type: new Schema({ id: String, username: String }, { _id: false }), default: null },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, required: true },
    outcome: { type: String, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
)
AuditLogSchema.index({ targetType: 1, targetId: 1, at: -1 })
AuditLogSchema.index({ action: 1, at: -1 })
AuditLogSchema.index({ at: -1, _id: -1 })
AuditLogSchema.index({ 'operator.username': 1, at: -1 })

export const AuditLogModel = model('AuditLog', AuditLogSchema, 'audit_logs')
