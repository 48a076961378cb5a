import { GroupModel, seatsOf, type Group } from '../src/modules/groupbuy/group.model'
import { OrderModel, type Order } from '../src/modules/orders/order.model'

/**
 * The seat invariants of every group in the test's database (DESIGN.md, Group-buy): members
 * equal `size − free`, `free` stays within [0, size], and every seat belongs to an order of that
 * shopper in that group which still holds it (or has paid for it). A ghost member — a seat whose
 * order gave it back — fails here. Returns the problems so a failing test names the group.
 */
export async function groupProblems(): Promise<string[]> {
  const problems: string[] = []
  const groups = await GroupModel.find({}).lean<Group[]>()
  const orderIds = groups.flatMap((g) => seatsOf(g).map((s) => s.orderId))
  const orders = new Map((await OrderModel.find({ _id: { $in: orderIds } }).lean<Order[]>()).map((o) => [o._id.toHexString(), o]))
  for (const g of groups) {
    const seats = seatsOf(g)
    const where = `group ${g._id} (size ${g.size}, free ${g.free})`
    if (seats.length !== g.size - g.free) problems.push(`${where}: ${seats.length} members, expected size − free = ${g.size - g.free}`)
    if (g.free < 0 || g.free > g.size) problems.push(`${where}: free out of range`)
    for (const seat of seats) {
      const o = orders.get(seat.orderId.toHexString())
      const paid = g.paidOrderIds.some((id) => id.equals(seat.orderId))
      if (!o) problems.push(`${where}: seat of ${seat.userId} names a missing order`)
      else if (o.userId.toHexString() !== seat.userId || !o.groupId?.equals(g._id)) problems.push(`${where}: seat of ${seat.userId} names order ${o._id} of another shopper or group`)
      else if (!o.held?.seat && !paid) problems.push(`${where}: ghost member ${seat.userId} (order ${o._id} gave the seat back)`)
    }
  }
  return problems
}

/** For `afterEach`: fails the test when any group breaks its seat invariants. */
export async function expectGroupsConsistent(): Promise<void> {
  expect(await groupProblems()).toEqual([])
}
