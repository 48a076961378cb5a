export default definePageConfig({
  navigationBarTitleText: '分类',
  enableShareAppMessage: true,
  // The rail and the list scroll on their own; the page itself stays put.
  disableScroll: true,
})
