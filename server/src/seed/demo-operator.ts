/**
 * The demo operator `npm start` creates in development (never in production: SEED_DEMO is refused
 * there), printed at start so the console can be tried at once. Real operators are created with
 * `npm run operator -- create <username> --role admin` and get a one-time password.
 */
export const DEMO_OPERATOR = { username: 'demo', password: 'xianlin-demo-operator' } as const
