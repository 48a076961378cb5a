export default definePageConfig({
  navigationBarTitleText: '鲜邻优选',
  enablePullDownRefresh: true,
  enableShareAppMessage: true,
})
