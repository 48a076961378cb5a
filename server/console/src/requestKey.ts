/**
 * A fresh idempotency key for one submission: 32 random hex characters (getRandomValues works
 * outside secure contexts, unlike randomUUID). A retried request reuses it, so it counts once.
 */
export const requestKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
