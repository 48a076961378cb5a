import { Schema, model } from 'mongoose'

/** Who runs a scheduled job right now, and until when: one document per job name. */
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
