import { Schema, model } from 'mongoose'

/**
 * One scheduled job shared by every instance: when its next run is due, and the run in progress
 * (who holds it, under which run id, until when: renewed while it works). Taking a run is one
 * guarded update of this document, so a due run goes to one instance however many ask.
 */
const JobScheduleSchema = new Schema(
  {
    _id: { type: String, required: true },
    dueAt: { type: Date, required: true },
    owner: { type: String, default: null },
    runId: { type: String, default: null },
    leaseUntil: { type: Date, required: true },
    startedAt: { type: Date, default: null },
    lastRunAt: { type: Date, default: null },
    lastDurationMs: { type: Number, default: null },
    lastError: { type: String, default: null },
    runs: { type: Number, default: 0 },
    failures: { type: Number, default: 0 },
  },
  { versionKey: false },
)

export type JobSchedule = { _id: string; dueAt: Date; owner: string | null; runId: string | null; leaseUntil: Date; startedAt: Date | null; lastRunAt: Date | null; lastDurationMs: number | null; lastError: string | null; runs: number; failures: number }
export const JobScheduleModel = model('JobSchedule', JobScheduleSchema, 'job_schedule')
