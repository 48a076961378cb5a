import fs from 'node:fs'
import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

// Taro's build config (https://docs.taro.zone/docs/config). Written by hand: `taro init` needs the
// internet. weapp and H5 get separate output folders because each build empties its own.
export default defineConfig<'webpack5'>(async (merge) => {
  const isH5 = process.env.TARO_ENV === 'h5'
  // A release of the mini-program must call the API over HTTPS at a domain registered with WeChat:
  // refuse to build one that would fall back to the development server.
  const apiBase = process.env.TARO_APP_API_BASE
  if (!isH5 && process.env.NODE_ENV === 'production' && !/^https:\/\/[^/]+/.test(apiBase ?? '')) {
    throw new Error(`A production weapp build needs TARO_APP_API_BASE=https://<your API domain> (got ${apiBase ? JSON.stringify(apiBase) : 'nothing'}); use npm run dev:weapp against a local server`)
  }
  // The shared workspace is TypeScript source reached through node_modules: compile it too.
  const compile = { include: [path.resolve(__dirname, '..', 'shared', 'src')] }
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'xianlin-growth',
    date: '2026-11-23',
    // NutUI is drawn at 375 wide; our own styles at 750 (TARO.md).
    designWidth(input) {
      const file = typeof input === 'object' && input ? (input as { file?: string }).file : undefined
      return file && file.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'miniapp',
    outputRoot: isH5 ? 'dist/h5' : 'dist/weapp',
    plugins: [],
    // Where the mini-program calls the API. Empty: the page's own origin (H5 served by our server).
    // For weapp, set TARO_APP_API_BASE to the HTTPS API domain registered with WeChat.
    // Dates are shown in the business time zone, the one config/rules.json sets for the server.
    defineConstants: {
      __API_BASE__: JSON.stringify(apiBase ?? (isH5 ? '' : 'http://127.0.0.1:3000')),
      __BUSINESS_TIME_ZONE__: JSON.stringify((JSON.parse(fs.readFileSync(path.resolve(__dirname, 'rules.json'), 'utf8')) as { business: { timeZone: string } }).business.timeZone),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      compile,
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      compile,
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  }
  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
