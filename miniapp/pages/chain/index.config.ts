export default definePageConfig({ navigationBarTitleText: '社区接龙', enablePullDownRefresh: true })
