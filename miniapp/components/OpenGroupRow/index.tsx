import { View, Text } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import type { GroupSummary } from '@xianlin/shared'
import { useCountdown } from '../../hooks/useCountdown'
import './index.scss'

/** A group still forming, with its seats left and time left, and 去参团. */
export default function OpenGroupRow({ group, onJoin }: { group: GroupSummary; onJoin: () => void }) {
  const left = useCountdown(group.expiresAt, 1000)
  return (
    <View className='open-group'>
      <View className='open-group__avatar'>{Array.from(group.initiator)[0]}</View>
      <View className='open-group__body'>
        <Text className='open-group__name'>{group.initiator} 的团</Text>
        <Text className='open-group__left'>
          还差 <Text className='open-group__em'>{group.seatsLeft}</Text> 人 · {left}
        </Text>
      </View>
      <Button type='primary' size='small' onClick={onJoin} className='open-group__join'>
        去参团
      </Button>
    </View>
  )
}
