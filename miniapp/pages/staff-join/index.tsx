import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useLoad } from '@tarojs/taro'
import { Button, Input, Skeleton } from '@nutui/nutui-react-taro'
import { STAFF_POSITION_TEXT, type StaffInvitation } from '@xianlin/shared'
import { api, ApiError } from '../../api'
import LoginRequired from '../../components/LoginRequired'
import { dateTime } from '../../utils/format'
import { session } from '../../utils/session'
import './index.scss'

const messageOf = (err: unknown, fallback: string) => (err instanceof ApiError ? err.message : fallback)

/**
 * 加入门店: a clerk opens the invitation the store's operator showed them (a QR code, or the code
 * typed in), sees which store it is for, and accepts; from then on the staff desk is theirs.
 */
export default function StaffJoinPage() {
  const [code, setCode] = useState('')
  const [invitation, setInvitation] = useState<StaffInvitation | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const signedIn = Boolean(session.accessToken())

  const look = async (typed: string) => {
    if (!typed.trim()) return
    setBusy(true)
    setProblem(null)
    try {
      setInvitation((await api.staff.invitation(typed)).invitation)
    } catch (err) {
      setInvitation(null)
      setProblem(messageOf(err, '没有找到这个邀请，请稍后再试'))
    } finally {
      setBusy(false)
    }
  }

  useLoad((params) => {
    const given = typeof params.code === 'string' ? decodeURIComponent(params.code) : ''
    setCode(given)
    if (given && signedIn) void look(given)
  })

  const accept = async () => {
    if (!invitation) return
    setBusy(true)
    try {
      await api.staff.acceptInvitation(invitation.code)
      // The staff desk reads roles and stores from the saved session: refresh it first.
      session.updateUser((await api.me()).user)
      Taro.showToast({ title: `已加入${invitation.storeName}`, icon: 'success' })
      setTimeout(() => void Taro.redirectTo({ url: '/pages/staff-desk/index' }), 800)
    } catch (err) {
      setProblem(messageOf(err, '加入失败，请重试'))
    } finally {
      setBusy(false)
    }
  }

  if (!signedIn) return <LoginRequired what='门店邀请' />
  if (busy && !invitation) return <Skeleton rows={6} animated className='join__skeleton' />

  return (
    <View className='join'>
      <View className='join__hero'>
        <Text className='join__title'>加入门店</Text>
        <Text className='join__subtitle'>接受邀请后，你可以在「店员核销台」为顾客核销兑换券、确认自提</Text>
      </View>
      {invitation ? (
        <View className='join__card'>
          <Text className='join__store'>{invitation.storeName}</Text>
          <Text className='join__meta'>邀请你成为{STAFF_POSITION_TEXT[invitation.position]}</Text>
          <Text className='join__meta'>邀请有效期至 {dateTime(invitation.expiresAt)}</Text>
          {problem ? <Text className='join__problem'>{problem}</Text> : null}
          <Button type='primary' block loading={busy} onClick={accept} className='join__accept'>
            确认加入
          </Button>
        </View>
      ) : (
        <View className='join__card'>
          <Text className='join__label'>输入门店给你的 8 位邀请码</Text>
          <Input className='join__input' placeholder='如：7K3M9QXD' value={code} maxLength={10} onChange={(v) => setCode(v)} />
          {problem ? <Text className='join__problem'>{problem}</Text> : null}
          <Button type='primary' block loading={busy} onClick={() => void look(code)} className='join__accept'>
            查看邀请
          </Button>
        </View>
      )}
    </View>
  )
}
