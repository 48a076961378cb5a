import { useState } from 'react'
import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ApiError } from '../../api'
import { uploadReviewPhoto, type ChosenImage } from '../../utils/photo-upload'
import './index.scss'

/** A photo the member uploaded: its id, and the phone's own copy to show (an upload is theirs alone until published). */
export interface PickedPhoto {
  id: string
  preview: string
}

interface Props {
  photos: PickedPhoto[]
  max: number
  onChange: (photos: PickedPhoto[]) => void
  /** Tells the page an upload is running (its submit waits). */
  onUploading?: (uploading: boolean) => void
  /** The add tile's word: 晒图, 照片. */
  label: string
}

/** Photos to attach (晒单, 售后): choose or shoot, uploaded one by one, removable, at most `max`. */
export default function PhotoPicker({ photos, max, onChange, onUploading, label }: Props) {
  const [uploading, setUploading] = useState(false)
  const busy = (on: boolean) => {
    setUploading(on)
    onUploading?.(on)
  }

  const add = async () => {
    const chosen = await Taro.chooseImage({ count: max - photos.length, sizeType: ['compressed'], sourceType: ['album', 'camera'] }).catch(() => null)
    if (!chosen) return
    busy(true)
    let list = photos
    try {
      for (const image of (chosen.tempFiles as ChosenImage[]).slice(0, max - photos.length)) {
        const photo = await uploadReviewPhoto(image)
        list = [...list, { id: photo.id, preview: image.path }].slice(0, max)
        onChange(list)
      }
    } catch (err) {
      Taro.showToast({ title: err instanceof ApiError ? err.message : '图片上传失败，请重试', icon: 'none' })
    } finally {
      busy(false)
    }
  }

  return (
    <View className='photo-picker'>
      {photos.map(({ id, preview }) => (
        <View key={id} className='photo-picker__photo'>
          <Image className='photo-picker__img' src={preview} mode='aspectFill' />
          <Text className='photo-picker__remove' onClick={() => onChange(photos.filter((p) => p.id !== id))}>
            ×
          </Text>
        </View>
      ))}
      {photos.length < max ? (
        <View className='photo-picker__photo photo-picker__photo--add' onClick={uploading ? undefined : add}>
          <Text className='photo-picker__plus'>{uploading ? '上传中' : '+'}</Text>
          <Text className='photo-picker__hint'>{uploading ? '' : `${label} ${photos.length}/${max}`}</Text>
        </View>
      ) : null}
    </View>
  )
}
