import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Empty } from '@nutui/nutui-react-taro'
import './index.scss'

/** What a members-only page shows to a visitor who has not signed in. */
export default function LoginRequired({ what }: { what: string }) {
  return (
    <View className='login-required'>
      <Empty description={`登录后查看${what}`} />
      <Button type='primary' className='login-required__button' onClick={() => Taro.switchTab({ url: '/pages/mine/index' })}>
        去登录
      </Button>
    </View>
  )
}
