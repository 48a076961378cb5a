/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.svg'
declare module '*.scss'

/** Set at build time from TARO_APP_API_BASE (config/index.ts). */
declare const __API_BASE__: string
/** Set at build time from config/rules.json (business.timeZone). */
declare const __BUSINESS_TIME_ZONE__: string

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | undefined
  }
}
