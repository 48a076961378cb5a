import type { CreateStoreRequest } from '@xianlin/shared'

/** The demo shop `npm start` fills an empty database with, so a newcomer sees a living shop. */
export const DEMO_STORES: CreateStoreRequest[] = [
  { code: 'SH-01', name: '鲜邻优选·徐汇漕溪店', address: '上海市徐汇区漕溪北路 88 号 1 楼', hours: '07:30-22:00', phone: '021-64001234' },
  { code: 'SH-02', name: '鲜邻优选·浦东世纪公园店', address: '上海市浦东新区锦绣路 1001 号', hours: '08:00-21:30', phone: '021-58005678' },
  { code: 'SH-03', name: '鲜邻优选·静安大宁店', address: '上海市静安区共和新路 2010 号', hours: '08:00-22:00', phone: '021-56009012' },
]

/** The demo leader (dev login `{"role":"leader"}`) and their pickup point, with a few bound neighbours. */
export const DEMO_LEADER = {
  point: { name: '王秀兰', phone: '13800138000', community: '漕溪新村', address: '上海市徐汇区漕溪北路 100 弄 3 号（小区便利店）', location: { latitude: 31.1797, longitude: 121.4374 }, hours: '每天 08:00-20:00' },
  members: ['漕溪李阿姨', '漕溪小周', '漕溪陈先生'],
}

/** Demo group-buys: a 2-person and a 5-person one, open for a year from the first start. */
export const DEMO_GROUPBUYS = [
  { key: 'demo:mango-2', sku: 'FRU-0001', title: '贵妃芒 2 人团', tiers: [{ size: 2, priceFen: 2790 }], stock: 200, perUserLimit: 2 },
  { key: 'demo:strawberry-5', sku: 'FRU-0002', title: '红颜草莓 5 人团', tiers: [{ size: 5, priceFen: 2750 }], stock: 100, perUserLimit: 1 },
]

export const DEMO_PRODUCTS = [
  { sku: 'FRU-0001', name: '海南贵妃芒 5 斤装', subtitle: '树上熟 香甜多汁', category: '水果', priceFen: 3990, unit: '箱', cover: { emoji: '🥭', tint: '#fff4d6' }, tags: ['产地直采'], spec: '5 斤装 · 单果约 250g', origin: '海南三亚', sort: 1 },
  { sku: 'FRU-0002', name: '丹东红颜草莓 2 斤', subtitle: '当季鲜摘 个大饱满', category: '水果', priceFen: 4590, unit: '盒', cover: { emoji: '🍓', tint: '#ffe4e6' }, tags: ['爆款', '冷链'], spec: '2 斤装 · 约 40 颗', origin: '辽宁丹东', sort: 2 },
  { sku: 'VEG-0001', name: '有机西兰花 500g', subtitle: '基地直供 清脆鲜嫩', category: '蔬菜', priceFen: 990, unit: '份', cover: { emoji: '🥦', tint: '#e6f7e6' }, tags: ['有机'], spec: '500g · 1–2 颗', origin: '山东寿光', sort: 3 },
  { sku: 'EGG-0001', name: '散养土鸡蛋 30 枚', subtitle: '农家散养 蛋黄饱满', category: '蛋奶', priceFen: 3280, unit: '盒', cover: { emoji: '🥚', tint: '#fdf3e7' }, tags: ['回购王'], spec: '30 枚 · 单枚约 50g', origin: '江西赣州', sort: 4 },
  { sku: 'MLK-0001', name: '鲜牛奶 950ml×2', subtitle: '巴氏杀菌 3 天短保', category: '蛋奶', priceFen: 2590, unit: '组', cover: { emoji: '🥛', tint: '#eef4ff' }, tags: ['冷链'], spec: '950ml × 2 瓶 · 冷藏', origin: '内蒙古呼和浩特', sort: 5 },
  { sku: 'RCE-0001', name: '五常稻花香大米 5kg', subtitle: '当季新米 软糯香甜', category: '粮油', priceFen: 6990, unit: '袋', cover: { emoji: '🍚', tint: '#f6f1e7' }, tags: ['产地直采'], spec: '5kg · 真空包装', origin: '黑龙江五常', sort: 6 },
]

/** Points-mall items; `stores` are indexes into DEMO_STORES (goods are handed over there). */
export const DEMO_MALL_ITEMS = [
  { key: 'MALL-BAG', name: '鲜邻环保购物袋', description: '加厚帆布，可装 10 斤菜', kind: 'goods' as const, category: '生活', pointsPrice: 300, stock: 200, perUserLimit: 2, minLevelRank: 0, stores: [0, 1, 2], cover: { emoji: '🛍️', tint: '#e6f7e6' } },
  { key: 'MALL-EGG', name: '散养土鸡蛋 10 枚', description: '到店领取，当日新鲜', kind: 'goods' as const, category: '生鲜', pointsPrice: 800, stock: 50, perUserLimit: 1, minLevelRank: 0, stores: [0, 1], cover: { emoji: '🥚', tint: '#fdf3e7' } },
  { key: 'MALL-OIL', name: '压榨花生油 1.8L', description: '银卡及以上会员专享', kind: 'goods' as const, category: '粮油', pointsPrice: 2500, stock: 20, perUserLimit: 1, minLevelRank: 1, stores: [0], cover: { emoji: '🫒', tint: '#f6f1e7' } },
  { key: 'MALL-CPN', name: '5 元无门槛券', description: '兑换后自动发放到我的优惠券', kind: 'coupon' as const, category: '优惠券', pointsPrice: 500, stock: 1000, perUserLimit: 3, minLevelRank: 0, stores: [], cover: { emoji: '🎫', tint: '#ffe4e6' } },
]
