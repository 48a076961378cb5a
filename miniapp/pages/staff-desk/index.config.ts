export default definePageConfig({ navigationBarTitleText: '店员核销台', enablePullDownRefresh: true })
