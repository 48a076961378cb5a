import { useCallback, useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Avatar, Button, Cell, Input, Tag } from '@nutui/nutui-react-taro'
import { ArrowRight, Cart, Coupon, Gift, HeartF, Location, Store, Marshalling, Notice, Order, ScanF, Setting, Star, ToPay, ToReceive, Transit, PickedUp, Wallet } from '@nutui/icons-react-taro'
import type { ReactNode } from 'react'
import type { Role } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import { useSession } from '../../hooks/useSession'
import { useRules } from '../../hooks/useRules'
import { comingSoon } from '../../utils/soon'
import './index.scss'

const ROLE_LABELS: Record<Role, string> = { shopper: '会员', leader: '团长', staff: '店员', admin: '运营' }
const ORDER_STATES = [
  { name: '待付款', tab: 'pending_payment', icon: <ToPay size={24} /> },
  { name: '待成团', tab: 'forming', icon: <Transit size={24} /> },
  { name: '待自提', tab: 'pickup', icon: <ToReceive size={24} /> },
  { name: '已完成', tab: 'completed', icon: <PickedUp size={24} /> },
]
const isWeapp = process.env.TARO_ENV === 'weapp'

export default function Mine() {
  const { user, busy, login, logout } = useSession()
  const [nickname, setNickname] = useState('')
  const stats = useMemberStats(user?.id ?? null)
  const rules = useRules()
  const [unread, setUnread] = useState(0)
  const signedInId = user?.id ?? null
  const refreshUnread = useCallback(() => {
    if (signedInId) void api.notices.unread().then((r) => setUnread(r.unread), () => setUnread(0))
    else setUnread(0)
  }, [signedInId])
  // On each visit, and as soon as someone signs in here (a campaign's notice may be waiting).
  useDidShow(() => refreshUnread())
  useEffect(() => refreshUnread(), [refreshUnread])
  /** The demo staff and leader sign-ins, shown only where the server offers them (development). */
  const [demo, setDemo] = useState(false)
  useEffect(() => {
    if (!isWeapp) void api.auth.methods().then((m) => setDemo(m.demo), () => setDemo(false))
  }, [])

  const onLogin = async (role?: 'staff' | 'leader') => {
    try {
      const signedIn = await login(nickname.trim() || undefined, role)
      Taro.showToast({ title: `欢迎，${signedIn.nickname}`, icon: 'none' })
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '登录失败，请重试', icon: 'none' })
    }
  }

  return (
    <View className='mine'>
      <View className='mine__card'>
        <Avatar size='large' background='#fff' color='#fa2c19' className='mine__avatar'>
          {user ? Array.from(user.nickname)[0] : '鲜'}
        </Avatar>
        {user ? (
          <View className='mine__who'>
            <Text className='mine__nickname'>{user.nickname}</Text>
            <View className='mine__roles'>
              {user.roles.map((r) => (
                <Tag key={r} background='rgba(255,255,255,0.25)' color='#fff' className='mine__role'>
                  {ROLE_LABELS[r]}
                </Tag>
              ))}
              {user.phoneMasked ? <Text className='mine__phone'>{user.phoneMasked}</Text> : null}
            </View>
          </View>
        ) : (
          <View className='mine__who'>
            <Text className='mine__nickname'>登录享会员价</Text>
            <Text className='mine__hint'>签到领积分 · 拼团更优惠</Text>
          </View>
        )}
      </View>

      {user && stats ? (
        <View className='mine__stats'>
          <View className='mine__stat' onClick={() => Taro.navigateTo({ url: '/pages/points/index' })}>
            <Text className='mine__stat-value'>{stats.points}</Text>
            <Text className='mine__stat-label'>积分</Text>
          </View>
          <View className='mine__stat' onClick={() => Taro.navigateTo({ url: '/pages/coupons/index' })}>
            <Text className='mine__stat-value'>{stats.coupons}</Text>
            <Text className='mine__stat-label'>优惠券</Text>
          </View>
          <View className='mine__stat' onClick={() => Taro.navigateTo({ url: '/pages/membership/index' })}>
            <Text className='mine__stat-value mine__stat-value--level'>{stats.level}</Text>
            <Text className='mine__stat-label'>会员等级</Text>
          </View>
        </View>
      ) : null}

      {user ? null : (
        <View className='mine__login'>
          {isWeapp ? null : (
            <Input
              className='mine__nickname-input'
              placeholder='体验昵称（选填）'
              value={nickname}
              maxLength={20}
              onChange={setNickname}
            />
          )}
          <Button type='primary' block loading={busy} onClick={() => onLogin()} className='mine__login-button'>
            {isWeapp ? '微信一键登录' : '体验登录'}
          </Button>
          {!demo ? null : (
            <>
              <Text className='mine__staff-login' onClick={() => onLogin('staff')}>
                以门店店员身份体验核销台 ›
              </Text>
              <Text className='mine__staff-login mine__leader-login' onClick={() => onLogin('leader')}>
                以社区团长身份体验团长中心 ›
              </Text>
            </>
          )}
        </View>
      )}

      <View className='mine__panel'>
        <View className='mine__panel-head'>
          <Text className='mine__panel-title'>我的订单</Text>
          <Text className='mine__panel-more' onClick={() => Taro.navigateTo({ url: '/pages/orders/index' })}>
            全部订单 ›
          </Text>
        </View>
        <View className='mine__states'>
          {ORDER_STATES.map((s) => (
            <View key={s.name} className='mine__state' onClick={() => Taro.navigateTo({ url: `/pages/orders/index?state=${s.tab}` })}>
              {s.icon}
              <Text className='mine__state-name'>{s.name}</Text>
            </View>
          ))}
        </View>
      </View>

      <View className='mine__menu'>
        <Cell.Group>
          <MenuItem icon={<Wallet size={18} />} title='我的积分' hint='签到赚积分' url='/pages/points/index' />
          <MenuItem icon={<Coupon size={18} />} title='我的优惠券' url='/pages/coupons/index' />
          <MenuItem icon={<Star size={18} />} title='会员中心' url='/pages/membership/index' />
          <MenuItem icon={<Marshalling size={18} />} title='每日签到' url='/pages/checkin/index' />
          <MenuItem icon={<Cart size={18} />} title='积分商城' hint='积分兑好物' url='/pages/mall/index' />
          <MenuItem icon={<Gift size={18} />} title='邀请有礼' hint='邀好友得积分' url='/pages/invite/index' />
          <MenuItem icon={<HeartF size={18} />} title='好友助力' hint={rules ? `${rules.assist.helpersNeeded} 人助力免费拿` : '好友助力免费拿'} url='/pages/assist/index' />
          <MenuItem icon={<Order size={18} />} title='我的兑换' url='/pages/vouchers/index' />
          <MenuItem icon={<Location size={18} />} title='我的团长' hint='社区自提点' url='/pages/my-leader/index' />
          {user?.roles.includes('leader') ? (
            <MenuItem icon={<Store size={18} />} title='团长中心' hint='交付订单 · 佣金' url='/pages/leader-centre/index' />
          ) : (
            <MenuItem icon={<Store size={18} />} title='申请成为团长' hint='开自提点赚佣金' url='/pages/leader-apply/index' />
          )}
          {user?.roles.includes('staff') ? <MenuItem icon={<ScanF size={18} />} title='店员核销台' url='/pages/staff-desk/index' /> : null}
          {user ? <MenuItem icon={<Notice size={18} />} title='消息通知' hint={unread > 0 ? `${unread} 条未读` : undefined} url='/pages/notices/index' /> : null}
          {user ? <MenuItem icon={<Setting size={18} />} title='设置' hint={user.phoneMasked ? '手机号 · 注销账号' : '绑定手机号'} url='/pages/settings/index' /> : null}
        </Cell.Group>
      </View>

      {user ? (
        <View className='mine__logout'>
          <Button block fill='outline' onClick={logout}>
            退出登录
          </Button>
        </View>
      ) : null}
    </View>
  )
}

/** One row of the 我的 menu: icon, title, an optional hint and an arrow. */
function MenuItem({ icon, title, hint, url }: { icon: ReactNode; title: string; hint?: string; url?: string }) {
  return (
    <Cell
      clickable
      align='center'
      onClick={() => (url ? Taro.navigateTo({ url }) : comingSoon(title))}
      title={
        <View className='mine__cell-title'>
          {icon}
          <Text className='mine__cell-text'>{title}</Text>
        </View>
      }
      extra={
        <View className='mine__cell-extra'>
          {hint ? <Text className='mine__cell-hint'>{hint}</Text> : null}
          <ArrowRight size={12} color='#c8c8c8' />
        </View>
      }
    />
  )
}

/** Points, usable coupons and level for the strip under the card; refreshed whenever 我的 shows. */
function useMemberStats(userId: string | null) {
  const [stats, setStats] = useState<{ points: number; coupons: number; level: string } | null>(null)
  const [shown, setShown] = useState(0)
  useDidShow(() => setShown((n) => n + 1))
  useEffect(() => {
    if (!userId) return setStats(null)
    Promise.all([api.points.summary(), api.coupons('usable'), api.membership()])
      .then(([points, coupons, membership]) =>
        setStats({ points: points.available, coupons: coupons.coupons.length, level: membership.level.name }),
      )
      .catch(() => setStats(null))
  }, [userId, shown])
  return stats
}
