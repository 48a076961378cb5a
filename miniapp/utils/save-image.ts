import Taro from '@tarojs/taro'

/** Saves a drawn image (a poster, a 备货单): to the photo album in WeChat (asking again if it was refused), a download in H5. */
export async function saveImage(image: string, filename: string): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') {
    const a = document.createElement('a')
    a.href = image
    a.download = filename
    a.click()
    return
  }
  try {
    await Taro.saveImageToPhotosAlbum({ filePath: image })
    Taro.showToast({ title: '已保存到相册', icon: 'success' })
  } catch (err) {
    if (!/auth|deny/i.test(String((err as { errMsg?: string }).errMsg))) throw err
    const { confirm } = await Taro.showModal({ title: '需要相册权限', content: '允许保存到相册后即可分享图片', confirmText: '去设置' })
    if (confirm) await Taro.openSetting()
  }
}
