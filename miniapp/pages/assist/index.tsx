import { useCallback, useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Skeleton } from '@nutui/nutui-react-taro'
import Empty from '../../components/EmptyState'
import { formatFen, type AssistView, type ProductView } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import ShareButton from '../../components/ShareButton'
import { useCountdown } from '../../hooks/useCountdown'
import { useShareCard, useShareEntry } from '../../hooks/useShareCard'
import { session } from '../../utils/session'
import Cover from '../../components/Cover'
import { useRules } from '../../hooks/useRules'
import { assistText } from '../../utils/rule-copy'
import { useSignInGate } from '../../components/SignInSheet'
import './index.scss'

/** Why a completed assist gave no voucher (the assist rule's caps and budget). */
const REFUSAL_COPY: Record<NonNullable<AssistView['rewardRefused']>, string> = {
  BUDGET_EXHAUSTED: '本期助力礼品已送完，感谢参与',
  DAILY_CAP: '今天已领过助力礼，本次不再发券',
  WEEKLY_CAP: '本周助力礼已领满，本次不再发券',
  LIFETIME_CAP: '助力礼领取次数已达上限，本次不再发券',
}

/**
 * 好友助力: without an id, the shopper picks a product to start an assist; with one, the owner
 * sees its progress and shares it, and a friend arriving from the card helps.
 */
export default function AssistPage() {
  /** The assist a friend's link names (null: none; undefined: not read yet). */
  const [id, setId] = useState<string | null | undefined>(undefined)
  const [signedIn, setSignedIn] = useState(() => Boolean(session.accessToken()))

  useShareEntry((params) => setId(params.id && /^[0-9a-f]{24}$/.test(params.id) ? params.id : null))
  useDidShow(() => setSignedIn(Boolean(session.accessToken())))

  // A friend's link shows the product and who asks before anything else; helping signs in then.
  if (id === undefined) return <Skeleton rows={8} animated className='assist__skeleton' />
  if (id) return <AssistDetail id={id} />
  if (!signedIn) return <LoginRequired what='好友助力' />
  return <AssistStart />
}

function AssistStart() {
  const [products, setProducts] = useState<ProductView[] | null>(null)
  const rules = useRules()
  const [busy, setBusy] = useState<string | null>(null)
  useEffect(() => {
    api
      .products()
      .then((res) => setProducts(res.products))
      .catch(() => setProducts([]))
  }, [])

  const start = async (productId: string) => {
    setBusy(productId)
    try {
      const { assist } = await api.assists.start(productId)
      // The page's address carries the assist, so a refresh or a return shows it again.
      await Taro.redirectTo({ url: `/pages/assist/index?id=${assist.id}` })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '发起失败，请重试', icon: 'none' })
    } finally {
      setBusy(null)
    }
  }

  if (!products) return <Skeleton rows={8} animated className='assist__skeleton' />
  return (
    <View className='assist'>
      <View className='assist__hero'>
        <Text className='assist__title'>好友助力 免费拿</Text>
        <Text className='assist__subtitle'>{rules ? `选一件心仪好物，${assistText(rules)}，到店免费领` : '选一件心仪好物，邀好友助力，到店免费领'}</Text>
      </View>
      <View className='assist__list'>
        {products.map((p) => (
          <View key={p.id} className='assist__product'>
            <Cover cover={p.cover} className='assist__cover' emojiClassName='assist__emoji' />
            <View className='assist__body'>
              <Text className='assist__name'>{p.name}</Text>
              <Text className='assist__price'>价值 {formatFen(p.priceFen)}</Text>
            </View>
            <Button type='primary' size='small' loading={busy === p.id} disabled={busy !== null} onClick={() => start(p.id)} className='assist__start'>
              发起助力
            </Button>
          </View>
        ))}
      </View>
    </View>
  )
}

function AssistDetail({ id }: { id: string }) {
  const [assist, setAssist] = useState<AssistView | null>(null)
  const [failed, setFailed] = useState(false)
  const [helping, setHelping] = useState(false)
  const { requireSignIn, sheet } = useSignInGate('登录后为好友助力')
  const countdown = useCountdown(assist?.state === 'open' ? assist.expiresAt : null, 1000)

  useShareCard(() => ({ page: 'pages/assist/index', targetId: id, title: `帮我点一下！${assist?.product.name ?? '好物'}免费拿，就差你了` }))
  const load = useCallback(() => {
    api.assists
      .get(id)
      .then((res) => setAssist(res.assist))
      .catch(() => setFailed(true))
  }, [id])
  // Loaded when shown first (this view may mount after the page showed), and again on return.
  useEffect(load, [load])
  useDidShow(load)

  const help = async () => {
    setHelping(true)
    try {
      setAssist((await api.assists.help(id)).assist)
      Taro.showToast({ title: '助力成功，谢谢你！', icon: 'none' })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '助力失败，请重试', icon: 'none' })
    } finally {
      setHelping(false)
    }
  }

  if (failed) return <Empty status='error' description='助力不存在或已结束' />
  if (!assist) return <Skeleton rows={8} animated className='assist__skeleton' />

  const slots = Array.from({ length: assist.helpersNeeded }, (_, i) => assist.helpers[i] ?? null)
  const left = Math.max(0, assist.helpersNeeded - assist.helpers.length)
  return (
    <View className='assist'>
      <View className='assist__card'>
        <Text className='assist__who'>{assist.isOwner ? '我发起的助力' : `${assist.owner} 邀你助力`}</Text>
        <Cover cover={assist.product.cover} className='assist__cover assist__cover--big' emojiClassName='assist__emoji assist__emoji--big' size='medium' />
        <Text className='assist__name'>{assist.product.name}</Text>
        <Text className='assist__price'>价值 {formatFen(assist.product.priceFen)} · 助力成功免费领</Text>

        <View className='assist__slots'>
          {slots.map((name, i) => (
            <View key={i} className='assist__slot'>
              <View className={name ? 'assist__slot-avatar assist__slot-avatar--filled' : 'assist__slot-avatar'}>{name ? Array.from(name)[0] : '?'}</View>
              <Text className='assist__slot-name'>{name ?? '待助力'}</Text>
            </View>
          ))}
        </View>

        {assist.state === 'open' ? (
          <>
            <Text className='assist__status'>还差 {left} 人助力 · {countdown}</Text>
            {assist.isOwner ? (
              <ShareButton page='pages/assist/index' targetId={assist.id} label='邀请好友助力' block className='assist__action' />
            ) : assist.helpedByMe ? (
              <Button block disabled className='assist__action'>
                已助力
              </Button>
            ) : (
              <Button type='primary' block loading={helping} onClick={() => requireSignIn(help)} className='assist__action'>
                为 TA 助力
              </Button>
            )}
          </>
        ) : assist.state === 'completed' ? (
          <>
            <Text className='assist__status assist__status--done'>助力成功！</Text>
            {assist.voucherCode ? (
              <Button type='primary' block className='assist__action' onClick={() => Taro.navigateTo({ url: `/pages/voucher/index?code=${assist.voucherCode}` })}>
                查看领取券
              </Button>
            ) : assist.rewardRefused ? (
              <Text className='assist__status'>{REFUSAL_COPY[assist.rewardRefused]}</Text>
            ) : null}
          </>
        ) : (
          <Text className='assist__status'>助力已结束，未在时限内集满</Text>
        )}

        {!assist.isOwner ? (
          <Button fill='none' block className='assist__own' onClick={() => Taro.redirectTo({ url: '/pages/assist/index' })}>
            我也要免费拿 ›
          </Button>
        ) : null}
      </View>
      {sheet}
    </View>
  )
}
