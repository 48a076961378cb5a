import { useMemo } from 'react'
import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { qrModules } from '../../utils/qr'
import './index.scss'

/** A QR code drawn with plain views, so it renders the same in the mini-program and in H5 without a canvas. */
export default function QrCode({ text, size = 440 }: { text: string; size?: number }) {
  const rows = useMemo(() => qrModules(text), [text])
  // pxTransform turns design pixels (750 wide) into rpx in WeChat and rem in H5.
  const cell = Taro.pxTransform(size / rows.length)
  const whole = Taro.pxTransform(size)
  return (
    <View className='qr' style={{ width: whole, height: whole }} data-qr={text}>
      {rows.map((row, r) => (
        <View key={r} className='qr__row' style={{ height: cell }}>
          {row.map((dark, c) => (
            <View key={c} className={dark ? 'qr__dot qr__dot--dark' : 'qr__dot'} style={{ width: cell, height: cell }} />
          ))}
        </View>
      ))}
    </View>
  )
}
