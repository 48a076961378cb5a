import Taro from '@tarojs/taro'
import type { CheckoutResponse } from '@xianlin/shared'
import { api } from '../api'

/**
 * Pays an order: the WeChat wallet in the mini-program (parameters signed by the server); in H5,
 * which has no wallet, the development server's stand-in that drives the fake Pay server.
 * Resolves false when the shopper cancels.
 */
export async function payForOrder(checkout: CheckoutResponse): Promise<boolean> {
  if (!checkout.payment) return false
  if (process.env.TARO_ENV === 'weapp') {
    try {
      await Taro.requestPayment({ ...checkout.payment })
      return true
    } catch (err) {
      if (/cancel/i.test(String((err as { errMsg?: string }).errMsg))) return false
      throw err
    }
  }
  const { confirm } = await Taro.showModal({
    title: '模拟微信支付',
    content: `H5 体验环境：确认支付 ¥${(checkout.order.price.payFen / 100).toFixed(2)}`,
    confirmText: '确认支付',
    confirmColor: '#07c160',
  })
  if (!confirm) return false
  await api.orders.devPay(checkout.order.id)
  return true
}
