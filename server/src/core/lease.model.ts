import { Schema, model } from 'mongoose'

/**
 * Who holds a lease right now, and until when: one document per name (a scheduled job, or a change
 * that must not run twice at once, such as the admin roster's).
 */
const JobLeaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    leaseUntil: { type: Date, required: true },
    lastRunAt: { type: Date, default: null },
  },
  { versionKey: false },
)

export const JobLeaseModel = model('JobLease', JobLeaseSchema, 'job_leases')
