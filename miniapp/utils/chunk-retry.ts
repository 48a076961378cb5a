import Taro from '@tarojs/taro'

/**
 * H5 loads each page's code when it is first opened. If that fails (a dropped connection, or a new
 * release replaced the files), the tap would silently do nothing: tell the shopper and reload the
 * app on 重试, which fetches the current files.
 */
export function retryFailedChunkLoads(): void {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return
  let asking = false
  window.addEventListener('unhandledrejection', (event) => {
    const err = event.reason as { name?: string; message?: string } | null
    if (!err || !(err.name === 'ChunkLoadError' || /Loading (CSS )?chunk \S+ failed/i.test(err.message ?? ''))) return
    event.preventDefault()
    if (asking) return
    asking = true
    void Taro.showModal({ title: '页面没加载出来', content: '网络不太稳定，点“重试”再加载一次', confirmText: '重试', showCancel: false }).then(() => window.location.reload())
  })
}
