import type { Role } from '@xianlin/shared'

/**
 * The accounts the development login signs in as for each role. The seed gives the staff account
 * its stores, so a newcomer can try the staff desk.
 */
export const DEMO_ACCOUNTS: Record<Exclude<Role, 'shopper'>, { openid: string; nickname: string; roles: Role[] }> = {
  staff: { openid: 'dev:staff', nickname: '店员小李', roles: ['shopper', 'staff'] },
  leader: { openid: 'dev:leader', nickname: '团长王姐', roles: ['shopper', 'leader'] },
  admin: { openid: 'dev:admin', nickname: '运营小陈', roles: ['shopper', 'admin'] },
}

/** The openid the development login gives a shopper who signs in under this nickname. */
export const devShopperOpenid = (nickname: string) => `dev:shopper:${nickname}`
