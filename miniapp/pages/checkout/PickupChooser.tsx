import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import { CheckChecked, CheckNormal } from '@nutui/icons-react-taro'
import type { PickupPoint, StoreView } from '@xianlin/shared'
import { api } from '../../api'
import { preferredStore } from '../../utils/preferred-store'

/** Where the order is picked up: `{ leaderId }` or `{ storeId }`, or null while the choices load. */
export type Pickup = { leaderId: string } | { storeId: string }

/**
 * 自提点: the member's leader's point first and chosen by default, then the stores (the one chosen
 * on the home page first). Reports the choice, and an error text when nothing could be loaded.
 */
export function usePickupChoices(): { stores: StoreView[]; leader: PickupPoint | null; pickup: Pickup | null; setPickup: (p: Pickup) => void; failed: boolean } {
  const [stores, setStores] = useState<StoreView[]>([])
  const [leader, setLeader] = useState<PickupPoint | null>(null)
  const [pickup, setPickup] = useState<Pickup | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    void Promise.all([api.stores(), api.leaders.mine().catch(() => null)]).then(
      ([res, mine]) => {
        const preferred = preferredStore.get()
        const ordered = [...res.stores].sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred))
        setStores(ordered)
        const point = mine?.leader.point?.active ? mine.leader.point : null
        setLeader(point)
        setPickup(point ? { leaderId: point.leaderId } : ordered[0] ? { storeId: ordered[0].id } : null)
      },
      () => setFailed(true),
    )
  }, [])
  return { stores, leader, pickup, setPickup, failed }
}

export default function PickupChooser({ stores, leader, pickup, onPick }: { stores: StoreView[]; leader: PickupPoint | null; pickup: Pickup | null; onPick: (p: Pickup) => void }) {
  const isLeader = (id: string) => pickup !== null && 'leaderId' in pickup && pickup.leaderId === id
  const isStore = (id: string) => pickup !== null && 'storeId' in pickup && pickup.storeId === id
  return (
    <View className='checkout__panel'>
      <Text className='checkout__title'>自提点</Text>
      {leader ? (
        <View className='checkout__store checkout__store--leader' onClick={() => onPick({ leaderId: leader.leaderId })}>
          {isLeader(leader.leaderId) ? <CheckChecked color='#fa2c19' /> : <CheckNormal color='#ccc' />}
          <View className='checkout__store-text'>
            <Text className='checkout__store-name'>
              {leader.name} <Text className='checkout__leader-tag'>我的团长</Text>
            </Text>
            <Text className='checkout__store-address'>
              {leader.address} · {leader.hours}
            </Text>
          </View>
        </View>
      ) : null}
      {stores.map((s) => (
        <View key={s.id} className='checkout__store' onClick={() => onPick({ storeId: s.id })}>
          {isStore(s.id) ? <CheckChecked color='#fa2c19' /> : <CheckNormal color='#ccc' />}
          <View className='checkout__store-text'>
            <Text className='checkout__store-name'>{s.name}</Text>
            <Text className='checkout__store-address'>
              {s.address} · {s.hours}
            </Text>
          </View>
        </View>
      ))}
    </View>
  )
}
