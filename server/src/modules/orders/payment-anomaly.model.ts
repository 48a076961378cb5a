import { Schema, model, type InferSchemaType } from 'mongoose'

/**
 * A payment WeChat Pay reported that does not match its order (another merchant or app, another
 * payer, another amount). It never pays the order; operators see it and settle it.
 * `_id` = `<out_trade_no>:<transaction_id>`, so every delivery of one payment is one record.
 */
const PaymentAnomalySchema = new Schema(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    transactionId: { type: String, default: null },
    /** Each field that differed: what the order expected and what the payment said. */
    mismatches: { type: [new Schema({ field: String, expected: String, received: String }, { _id: false })], required: true },
    /** `refund_requested`: our merchant took money for a closed order and gives it back; `held`: not ours to refund, for review. */
    action: { type: String, enum: ['refund_requested', 'held'], required: true },
    amountFen: { type: Number, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false },
)
PaymentAnomalySchema.index({ at: -1 })

export type PaymentAnomaly = InferSchemaType<typeof PaymentAnomalySchema>
export const PaymentAnomalyModel = model('PaymentAnomaly', PaymentAnomalySchema, 'payment_anomalies')
