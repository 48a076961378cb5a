/** WeChat answered with a non-zero `errcode` (HTTP 200), or could not be reached. */
export class WechatError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
  ) {
    super(`WeChat ${api} failed: ${errcode} ${errmsg}`)
  }

  /** True when WeChat itself was unavailable (network, `-1` busy), not the request's fault. */
  get transient(): boolean {
    return this.errcode === -1 || this.errcode === UNREACHABLE
  }
}

/** Our own code for "no answer from WeChat" (timeouts, connection errors, non-JSON replies). */
export const UNREACHABLE = -100
