/** One tap, one key: a retried or double-tapped request with the same key takes effect once. */
export const newIdempotencyKey = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
