export default definePageConfig({ navigationBarTitleText: '好友助力', enableShareAppMessage: true })
