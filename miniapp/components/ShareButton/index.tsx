import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Popup } from '@nutui/nutui-react-taro'
import { Share } from '@nutui/icons-react-taro'
import type { CreateShareRequest } from '@xianlin/shared'
import { ApiError } from '../../api'
import { copyShareLink } from '../../hooks/useShareCard'
import { useSignInGate } from '../SignInSheet'
import './index.scss'

interface Props {
  page: CreateShareRequest['page']
  targetId?: string
  label?: string
  type?: 'primary' | 'default'
  block?: boolean
  size?: 'small' | 'normal'
  className?: string
}

/**
 * 分享: in WeChat it opens the share sheet (the page's `useShareCard` builds the card); in H5 it
 * creates the share and shows its link to copy.
 */
export default function ShareButton({ page, targetId, label = '分享给好友', type = 'primary', block, size = 'normal', className }: Props) {
  const [link, setLink] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const { requireSignIn, sheet } = useSignInGate('登录后分享')

  if (process.env.TARO_ENV === 'weapp') {
    return (
      <Button openType='share' type={type} size={size} block={block} icon={<Share />} className={className}>
        {label}
      </Button>
    )
  }

  const share = async () => {
    setBusy(true)
    try {
      setLink(await copyShareLink(page, targetId))
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '分享失败，请重试', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <Button type={type} size={size} block={block} loading={busy} icon={<Share />} className={className} onClick={() => requireSignIn(share)}>
        {label}
      </Button>
      <Popup visible={link !== null} position='bottom' round closeable onClose={() => setLink(null)} title='分享给好友'>
        <View className='share-link'>
          <Text className='share-link__hint'>链接已复制，发到微信群或好友即可</Text>
          <Text className='share-link__url' selectable>
            {link}
          </Text>
        </View>
      </Popup>
      {sheet}
    </>
  )
}
