/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.svg'
declare module '*.scss'

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | undefined
    /** Where the mini-program calls the API; empty means the page's own origin (H5 served by us). */
    TARO_APP_API_BASE?: string
  }
}
