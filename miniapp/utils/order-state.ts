// How an order's state reads: one table, in shared/, for the mini-program and the console.
export { ORDER_STATE_TEXT } from '@xianlin/shared'
