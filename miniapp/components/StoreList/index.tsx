import { View, Text } from '@tarojs/components'
import { Location } from '@nutui/icons-react-taro'
import './index.scss'

/** The stores where something can be picked up or redeemed, under a heading. */
export default function StoreList({ title, stores }: { title: string; stores: Array<{ id: string; name: string }> }) {
  return (
    <View className='store-list'>
      <Text className='store-list__title'>{title}</Text>
      {stores.map((s) => (
        <View key={s.id} className='store-list__row'>
          <Location size={14} color='#999' />
          <Text className='store-list__name'>{s.name}</Text>
        </View>
      ))}
    </View>
  )
}
