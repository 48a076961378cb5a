import type { UserConfigExport } from '@tarojs/cli'

// Production build: quiet logs. The API base URL comes from TARO_APP_API_BASE at build time
// (empty for H5 served by our own server, which then calls the same origin).
export default {
  logger: { quiet: true, stats: false },
  mini: {},
  h5: {},
} satisfies UserConfigExport<'webpack5'>
