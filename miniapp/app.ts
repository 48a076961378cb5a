import { PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
import '@nutui/nutui-react-taro/dist/styles/themes/default.css'
import { rememberAttribution } from './utils/attribution'
import { retryFailedChunkLoads } from './utils/chunk-retry'
import './app.scss'

retryFailedChunkLoads()

function App({ children }: PropsWithChildren) {
  // Every entry may carry who shared the link (inviter, shareId) or a poster's QR scene; keep it
  // until login so a first login can be attributed.
  useLaunch((options) => rememberAttribution(options?.query))
  return children
}

export default App
