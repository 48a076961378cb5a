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

/** The demo shelf: today's list of a neighbourhood fresh-food shop, in the order the categories show. */
export const DEMO_PRODUCTS = [
  { sku: 'FRU-0001', name: '海南贵妃芒 5 斤装', subtitle: '树上熟 香甜多汁', category: '水果', priceFen: 3990, unit: '箱', cover: { emoji: '🥭', tint: '#fff4d6' }, tags: ['产地直采'], spec: '5 斤装 · 单果约 250g', origin: '海南三亚', sort: 1 },
  { sku: 'FRU-0002', name: '丹东红颜草莓 2 斤', subtitle: '当季鲜摘 个大饱满', category: '水果', priceFen: 4590, unit: '盒', cover: { emoji: '🍓', tint: '#ffe4e6' }, tags: ['爆款', '冷链'], spec: '2 斤装 · 约 40 颗', origin: '辽宁丹东', sort: 2 },
  { sku: 'FRU-0003', name: '赣南脐橙 5 斤', subtitle: '皮薄多汁 酸甜适口', category: '水果', priceFen: 2990, unit: '袋', cover: { emoji: '🍊', tint: '#fff1e0' }, tags: ['当季'], spec: '5 斤装 · 单果约 200g', origin: '江西赣州', sort: 3 },
  { sku: 'FRU-0004', name: '阳光玫瑰葡萄 2 串', subtitle: '玫瑰香 脆甜无籽', category: '水果', priceFen: 5990, unit: '盒', cover: { emoji: '🍇', tint: '#eef7e4' }, tags: ['精品'], spec: '约 1.2kg', origin: '云南建水', sort: 4 },
  { sku: 'FRU-0005', name: '烟台红富士苹果 6 个', subtitle: '脆甜 一口爆汁', category: '水果', priceFen: 2590, unit: '份', cover: { emoji: '🍎', tint: '#ffe8e8' }, tags: [], spec: '6 个 · 单果约 260g', origin: '山东烟台', sort: 5 },
  { sku: 'VEG-0001', name: '有机西兰花 500g', subtitle: '基地直供 清脆鲜嫩', category: '蔬菜', priceFen: 990, unit: '份', cover: { emoji: '🥦', tint: '#e6f7e6' }, tags: ['有机'], spec: '500g · 1–2 颗', origin: '山东寿光', sort: 10 },
  { sku: 'VEG-0002', name: '本地小番茄 500g', subtitle: '沙瓤多汁 生吃也甜', category: '蔬菜', priceFen: 890, unit: '盒', cover: { emoji: '🍅', tint: '#ffeaea' }, tags: [], spec: '500g', origin: '上海崇明', sort: 11 },
  { sku: 'VEG-0003', name: '水果黄瓜 4 根', subtitle: '清脆爽口 当天采摘', category: '蔬菜', priceFen: 690, unit: '份', cover: { emoji: '🥒', tint: '#e9f8ec' }, tags: ['当日达'], spec: '约 500g', origin: '上海浦东', sort: 12 },
  { sku: 'VEG-0004', name: '土豆 2.5kg', subtitle: '黄心沙糯 炖煮皆宜', category: '蔬菜', priceFen: 1290, unit: '袋', cover: { emoji: '🥔', tint: '#f6efe2' }, tags: [], spec: '2.5kg', origin: '内蒙古乌兰察布', sort: 13 },
  { sku: 'VEG-0005', name: '精品胡萝卜 1kg', subtitle: '色泽红亮 甜脆可口', category: '蔬菜', priceFen: 590, unit: '袋', cover: { emoji: '🥕', tint: '#fff0e0' }, tags: [], spec: '1kg', origin: '河北张家口', sort: 14 },
  { sku: 'MEA-0001', name: '黑猪五花肉 500g', subtitle: '肥瘦相间 红烧一绝', category: '肉禽蛋', priceFen: 3290, unit: '盒', cover: { emoji: '🥓', tint: '#ffeef0' }, tags: ['冷链'], spec: '500g · 冷鲜', origin: '浙江金华', sort: 20 },
  { sku: 'MEA-0002', name: '三黄鸡 整只', subtitle: '散养 180 天 炖汤鲜', category: '肉禽蛋', priceFen: 4990, unit: '只', cover: { emoji: '🍗', tint: '#fff3e3' }, tags: ['冷链'], spec: '约 1.2kg', origin: '广东清远', sort: 21 },
  { sku: 'EGG-0001', name: '散养土鸡蛋 30 枚', subtitle: '农家散养 蛋黄饱满', category: '肉禽蛋', priceFen: 3280, unit: '盒', cover: { emoji: '🥚', tint: '#fdf3e7' }, tags: ['回购王'], spec: '30 枚 · 单枚约 50g', origin: '江西赣州', sort: 22 },
  { sku: 'SEA-0001', name: '鲜活基围虾 500g', subtitle: '活虾现捞 冰鲜直送', category: '水产', priceFen: 5990, unit: '份', cover: { emoji: '🦐', tint: '#e8f4ff' }, tags: ['冷链'], spec: '500g · 约 30 只', origin: '广东湛江', sort: 30 },
  { sku: 'SEA-0002', name: '舟山带鱼段 500g', subtitle: '肉厚刺少 煎炸皆宜', category: '水产', priceFen: 3990, unit: '盒', cover: { emoji: '🐟', tint: '#e6f2ff' }, tags: [], spec: '500g · 冷冻', origin: '浙江舟山', sort: 31 },
  { sku: 'MLK-0001', name: '鲜牛奶 950ml×2', subtitle: '巴氏杀菌 3 天短保', category: '乳品烘焙', priceFen: 2590, unit: '组', cover: { emoji: '🥛', tint: '#eef4ff' }, tags: ['冷链'], spec: '950ml × 2 瓶 · 冷藏', origin: '内蒙古呼和浩特', sort: 40 },
  { sku: 'BAK-0001', name: '全麦吐司 400g', subtitle: '当日现烤 松软不干', category: '乳品烘焙', priceFen: 1590, unit: '袋', cover: { emoji: '🍞', tint: '#f8efe0' }, tags: ['当日达'], spec: '400g · 约 10 片', origin: '上海', sort: 41 },
  { sku: 'RCE-0001', name: '五常稻花香大米 5kg', subtitle: '当季新米 软糯香甜', category: '粮油调味', priceFen: 6990, unit: '袋', cover: { emoji: '🍚', tint: '#f6f1e7' }, tags: ['产地直采'], spec: '5kg · 真空包装', origin: '黑龙江五常', sort: 50 },
  { sku: 'OIL-0001', name: '压榨花生油 1.8L', subtitle: '物理压榨 浓香醇厚', category: '粮油调味', priceFen: 3990, unit: '桶', cover: { emoji: '🥜', tint: '#fff6e0' }, tags: [], spec: '1.8L', origin: '山东临沂', sort: 51 },
  { sku: 'SNK-0001', name: '每日坚果 30 包', subtitle: '6 种坚果果干 独立小包', category: '休闲零食', priceFen: 8990, unit: '箱', cover: { emoji: '🌰', tint: '#f4ece2' }, tags: ['囤货'], spec: '25g × 30 包', origin: '安徽合肥', sort: 60 },
]

/** Points-mall items; `stores` are indexes into DEMO_STORES (goods are handed over there). */
export const DEMO_MALL_ITEMS = [
  { key: 'MALL-BAG', name: '鲜邻环保购物袋', description: '加厚帆布，可装 10 斤菜', kind: 'goods' as const, category: '生活', pointsPrice: 300, stock: 200, perUserLimit: 2, minLevelRank: 0, stores: [0, 1, 2], cover: { emoji: '🛍️', tint: '#e6f7e6' } },
  { key: 'MALL-EGG', name: '散养土鸡蛋 10 枚', description: '到店领取，当日新鲜', kind: 'goods' as const, category: '生鲜', pointsPrice: 800, stock: 50, perUserLimit: 1, minLevelRank: 0, stores: [0, 1], cover: { emoji: '🥚', tint: '#fdf3e7' } },
  { key: 'MALL-OIL', name: '压榨花生油 1.8L', description: '银卡及以上会员专享', kind: 'goods' as const, category: '粮油', pointsPrice: 2500, stock: 20, perUserLimit: 1, minLevelRank: 1, stores: [0], cover: { emoji: '🥜', tint: '#fff6e0' } },
  { key: 'MALL-CPN', name: '5 元无门槛券', description: '兑换后自动发放到我的优惠券', kind: 'coupon' as const, category: '优惠券', pointsPrice: 500, stock: 1000, perUserLimit: 3, minLevelRank: 0, stores: [], cover: { emoji: '🎫', tint: '#ffe4e6' } },
]
