export default defineAppConfig({
  pages: ['pages/index/index', 'pages/category/index', 'pages/cart/index', 'pages/mine/index', 'pages/checkin/index', 'pages/points/index', 'pages/membership/index', 'pages/coupons/index', 'pages/mall/index', 'pages/mall-item/index', 'pages/vouchers/index', 'pages/voucher/index', 'pages/staff-desk/index', 'pages/staff-join/index', 'pages/invite/index', 'pages/assist/index', 'pages/groupbuys/index', 'pages/groupbuy/index', 'pages/checkout/index', 'pages/group/index', 'pages/orders/index', 'pages/order/index', 'pages/leader-apply/index', 'pages/leader-centre/index', 'pages/my-leader/index', 'pages/product/index', 'pages/search/index', 'pages/settings/index', 'pages/review/index', 'pages/notices/index', 'pages/after-sale/index', 'pages/chain/index', 'pages/leader-stock/index', 'pages/coupon-claim/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '鲜邻优选',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f6f6f6',
  },
  // WeChat refuses location APIs an app does not declare (and reviews what it declares): exactly
  // those our pages call (leader application picks its point; openLocation needs no declaration).
  // server/test/weapp-build.test.ts checks this against the built code.
  requiredPrivateInfos: ['chooseLocation'],
  // Only the components a page uses are injected when it opens (WeChat's 用时注入), not all of them.
  lazyCodeLoading: 'requiredComponents',
  permission: { 'scope.userLocation': { desc: '用于在地图上选择你的团长自提点位置' } },
  tabBar: {
    color: '#8a8a8a',
    selectedColor: '#fa2c19',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/index/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/category/index', text: '分类', iconPath: 'assets/tab/category.png', selectedIconPath: 'assets/tab/category-active.png' },
      { pagePath: 'pages/cart/index', text: '购物车', iconPath: 'assets/tab/cart.png', selectedIconPath: 'assets/tab/cart-active.png' },
      { pagePath: 'pages/mine/index', text: '我的', iconPath: 'assets/tab/mine.png', selectedIconPath: 'assets/tab/mine-active.png' },
    ],
  },
})
