import { View, Text } from '@tarojs/components'
import './index.scss'

interface Props {
  value: number
  /** The most the shopper may have (stock and limit); + stops there. */
  max: number
  onChange: (next: number) => void
  disabled?: boolean
}

/**
 * The shop's quantity control: a round + alone while none is in the basket, then − n +. Taps
 * report the next quantity; 0 takes the line out.
 */
export default function Stepper({ value, max, onChange, disabled }: Props) {
  const canAdd = !disabled && value < max
  const tap = (next: number) => (e: { stopPropagation?: () => void }) => {
    e.stopPropagation?.()
    onChange(next)
  }
  return (
    <View className='stepper'>
      {value > 0 ? (
        <>
          <View className='stepper__button stepper__button--minus' onClick={tap(value - 1)}>
            <Text>−</Text>
          </View>
          <Text className='stepper__value'>{value}</Text>
        </>
      ) : null}
      <View className={`stepper__button stepper__button--plus ${canAdd ? '' : 'stepper__button--off'}`} onClick={canAdd ? tap(value + 1) : (e) => e.stopPropagation()}>
        <Text>+</Text>
      </View>
    </View>
  )
}
