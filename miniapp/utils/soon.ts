import Taro from '@tarojs/taro'

/** Answers a tap on a feature that is announced but not open yet. */
export function comingSoon(name: string): void {
  Taro.showToast({ title: `${name}即将上线`, icon: 'none' })
}
