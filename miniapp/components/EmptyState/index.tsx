import { Image } from '@tarojs/components'
import { Empty, type EmptyProps } from '@nutui/nutui-react-taro'
import empty from '../../assets/empty/empty.png'
import error from '../../assets/empty/error.png'
import network from '../../assets/empty/network.png'
import './index.scss'

const ART = { empty, error, network }

/**
 * The UI kit's empty state with pictures that ship with the app: its own defaults load from a
 * third-party CDN, which our CSP blocks (a broken image) and a mini-program must not rely on.
 */
export default function EmptyState(props: Partial<EmptyProps>) {
  const art = ART[(props.status as keyof typeof ART | undefined) ?? 'empty'] ?? empty
  return <Empty {...props} image={<Image src={art} className='empty-state__art' mode='aspectFit' />} />
}
