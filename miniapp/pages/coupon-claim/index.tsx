import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useLoad } from '@tarojs/taro'
import { Button, Skeleton } from '@nutui/nutui-react-taro'
import type { CouponClaimView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import Empty from '../../components/EmptyState'
import CouponTicket from '../../components/CouponTicket'
import { useSession } from '../../hooks/useSession'
import { dotDate } from '../../utils/format'
import './index.scss'

const messageOf = (err: unknown, fallback: string) => (err instanceof ApiError ? err.message : fallback)

/**
 * 领券: a coupon the shop opened to claim from a link or QR code (a group chat, a poster at the
 * pickup point). A visitor sees it first and signs in to claim; one each, while they last.
 */
export default function CouponClaimPage() {
  const { user, busy: signingIn, login } = useSession()
  const [id, setId] = useState('')
  const [claim, setClaim] = useState<CouponClaimView | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const load = async (templateId: string) => {
    try {
      setClaim((await api.couponClaims.view(templateId)).claim)
    } catch (err) {
      setProblem(messageOf(err, '网络不给力，请稍后再试'))
    }
  }
  useLoad((params) => {
    const given = typeof params.t === 'string' ? params.t : ''
    setId(given)
    if (given) void load(given)
    else setProblem('领券链接不完整')
  })

  const take = async () => {
    setBusy(true)
    try {
      if (!user) await login()
      setClaim((await api.couponClaims.claim(id)).claim)
      Taro.showToast({ title: '领取成功', icon: 'success' })
    } catch (err) {
      Taro.showToast({ title: messageOf(err, '领取失败，请重试'), icon: 'none' })
      await load(id)
    } finally {
      setBusy(false)
    }
  }

  if (problem) return <Empty description={problem} />
  if (!claim) return <Skeleton rows={5} animated className='claim__skeleton' />
  const t = claim.template
  const validity = t.validity.kind === 'relative' ? `领取后 ${t.validity.days} 天内有效` : `${dotDate(t.validity.from)} - ${dotDate(t.validity.to)}`
  return (
    <View className='claim'>
      <View className='claim__hero'>
        <Text className='claim__title'>邻居专享券</Text>
        <Text className='claim__subtitle'>每人限领 1 张 · 已领 {claim.claimed}/{claim.total}</Text>
      </View>
      <CouponTicket terms={t} validity={claim.mine ? `${dotDate(claim.mine.validFrom)} - ${dotDate(claim.mine.validTo)}` : validity} dim={claim.state !== 'open' && !claim.mine} className='claim__coupon' />
      <View className='claim__action'>
        {claim.mine ? (
          <Button type='primary' block onClick={() => void Taro.navigateTo({ url: '/pages/coupons/index' })}>
            已领取，去我的优惠券
          </Button>
        ) : claim.state === 'open' ? (
          <Button type='primary' block loading={busy || signingIn} onClick={() => void take()} className='claim__take'>
            {user ? '立即领取' : '登录后领取'}
          </Button>
        ) : (
          <Button block disabled>
            {claim.state === 'sold_out' ? '已领完' : '活动已结束'}
          </Button>
        )}
      </View>
    </View>
  )
}
