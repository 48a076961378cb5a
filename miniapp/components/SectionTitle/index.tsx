import { View, Text } from '@tarojs/components'
import './index.scss'

/** A section heading with an optional hint on the right. */
export default function SectionTitle({ title, hint }: { title: string; hint?: string }) {
  return (
    <View className='section-title'>
      <Text className='section-title__text'>{title}</Text>
      {hint ? <Text className='section-title__hint'>{hint}</Text> : null}
    </View>
  )
}
