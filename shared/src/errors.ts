/**
 * Error codes the API answers with, in one table: the HTTP status each maps to and a message in
 * Simplified Chinese the mini-program can show as it is. The reply body is always
 * `{ error: { code, message, details? } }`.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: '请求参数有误' },
  FORBIDDEN_KEY: { status: 400, message: '请求中含有不允许的字段' },
  INVALID_JSON: { status: 400, message: '请求体不是合法的 JSON' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  TOKEN_INVALID: { status: 401, message: '登录已失效，请重新登录' },
  TOKEN_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  REFRESH_TOKEN_REUSED: { status: 401, message: '登录凭证已失效，请重新登录' },
  SESSION_REVOKED: { status: 401, message: '登录已失效，请重新登录' },
  WECHAT_LOGIN_FAILED: { status: 401, message: '微信登录失败，请重试' },
  FORBIDDEN: { status: 403, message: '没有权限执行此操作' },
  SIGN_IN_FAILED: { status: 401, message: '用户名或密码不正确' },
  ACCOUNT_LOCKED: { status: 423, message: '登录失败次数过多，账号已暂时锁定，请稍后再试' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: '首次登录请先修改密码' },
  PASSWORD_INCORRECT: { status: 400, message: '当前密码不正确' },
  PASSWORD_UNCHANGED: { status: 400, message: '新密码不能与当前密码相同' },
  CSRF_FAILED: { status: 403, message: '页面已过期，请刷新后重试' },
  USERNAME_TAKEN: { status: 409, message: '该用户名已被使用' },
  LAST_ADMIN: { status: 409, message: '至少要保留一位可用的管理员' },
  PHOTO_UNREADABLE: { status: 422, message: '图片无法识别，请上传 JPG、PNG 或 WebP 图片' },
  PHOTO_NOT_FOUND: { status: 422, message: '图片不存在，请重新上传' },
  INVITATION_INVALID: { status: 404, message: '邀请码不存在、已使用或已过期，请向门店管理员要一个新的' },
  SKU_TAKEN: { status: 409, message: '该商品编码已被使用' },
  RULES_CHANGED: { status: 409, message: '规则刚被其他人修改过，请刷新后再改' },
  DEV_LOGIN_DISABLED: { status: 404, message: '未开放体验登录' },
  NOT_FOUND: { status: 404, message: '内容不存在' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持该请求方法' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求内容过大' },
  URI_TOO_LONG: { status: 414, message: '请求地址过长' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '请求格式不受支持' },
  UNSUPPORTED_ENCODING: { status: 415, message: '请求的压缩格式不受支持或内容已损坏' },
  HEADERS_TOO_LARGE: { status: 431, message: '请求头过大' },
  INSUFFICIENT_POINTS: { status: 409, message: '积分不足' },
  POINTS_FROZEN: { status: 409, message: '积分账户待补足欠扣积分，暂不能使用积分' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: '重复的请求编号，请刷新后重试' },
  REQUEST_IN_PROGRESS: { status: 409, message: '上一次请求还在处理中，请稍后查看结果' },
  REDEMPTION_INTERRUPTED: { status: 409, message: '兑换未完成，积分未扣除，请重新兑换' },
  ALREADY_CHECKED_IN: { status: 409, message: '今天已经签到过了' },
  MAKEUP_NOT_ALLOWED: { status: 400, message: '只能补签本月已错过的日期' },
  MAKEUP_LIMIT_REACHED: { status: 409, message: '本月补签次数已用完' },
  ALREADY_CHECKED_ON_DAY: { status: 409, message: '这一天已经签到过了' },
  COUPON_NOT_USABLE: { status: 409, message: '优惠券不可用' },
  LEVEL_TOO_LOW: { status: 403, message: '会员等级不足' },
  OUT_OF_STOCK: { status: 409, message: '已兑完' },
  ITEM_UNAVAILABLE: { status: 409, message: '该商品当前不可兑换' },
  REDEMPTION_LIMIT_REACHED: { status: 409, message: '已达到每人兑换上限' },
  VOUCHER_NOT_FOUND: { status: 404, message: '券码不存在' },
  VOUCHER_ALREADY_REDEEMED: { status: 409, message: '该券已核销' },
  VOUCHER_EXPIRED: { status: 409, message: '该券已过期' },
  VOUCHER_CANCELLED: { status: 409, message: '该券已取消' },
  VOUCHER_NOT_CANCELLABLE: { status: 409, message: '该券当前不可取消' },
  WRONG_STORE: { status: 403, message: '本店不能核销该商品' },
  STORE_REQUIRED: { status: 400, message: '请选择核销门店' },
  INVITE_CODE_UNKNOWN: { status: 404, message: '邀请码不存在' },
  SHARE_NOT_FOUND: { status: 404, message: '分享不存在' },
  ASSIST_SELF: { status: 409, message: '不能给自己助力哦' },
  ASSIST_ALREADY_HELPED: { status: 409, message: '你已经助力过了' },
  ASSIST_FULL: { status: 409, message: '助力人数已满，感谢支持' },
  ASSIST_EXPIRED: { status: 409, message: '助力已结束' },
  ASSIST_NEW_USERS_ONLY: { status: 403, message: '本次助力仅限新用户参与' },
  PHONE_CODE_INVALID: { status: 400, message: '手机号授权已失效，请重新点击获取手机号' },
  PHONE_TOO_FREQUENT: { status: 429, message: '获取手机号太频繁，请稍后再试' },
  PHONE_APP_MISCONFIGURED: { status: 502, message: '小程序配置有误，暂时无法获取手机号，请联系客服' },
  PHONE_BIND_FAILED: { status: 502, message: '获取手机号失败，请稍后重试' },
  PHONE_TYPED_DISABLED: { status: 403, message: '请使用微信授权绑定手机号' },
  PHONE_NOT_MAINLAND: { status: 422, message: '暂只支持中国大陆手机号' },
  ACCOUNT_HAS_DUTIES: { status: 409, message: '你还是团长或店员，请先联系运营解除身份后再注销' },
  ACCOUNT_HAS_OPEN_ORDERS: { status: 409, message: '还有进行中的订单，完成或退款后再注销' },
  ASSIST_LIMIT_REACHED: { status: 409, message: '助力礼领取次数已达上限' },
  ACTIVITY_UNAVAILABLE: { status: 409, message: '活动未开始或已结束' },
  SOLD_OUT: { status: 409, message: '活动太火爆，已经抢光了' },
  DAILY_CAP_REACHED: { status: 409, message: '今日名额已抢完，明天再来' },
  PER_USER_LIMIT: { status: 409, message: '已达到每人参团上限' },
  GROUP_FULL: { status: 409, message: '该团已满员，去开个新团吧' },
  GROUP_CLOSED: { status: 409, message: '该团已结束，去开个新团吧' },
  ALREADY_IN_GROUP: { status: 409, message: '你已经在这个团里了' },
  TIER_UNKNOWN: { status: 400, message: '没有这个成团人数' },
  ORDER_NOT_PAYABLE: { status: 409, message: '订单已关闭，请重新下单' },
  PICKUP_CODE_UNKNOWN: { status: 404, message: '提货码不存在' },
  CODE_UNKNOWN: { status: 404, message: '没有这个券码或提货码，请核对后重试' },
  PICKUP_NOT_READY: { status: 409, message: '订单尚未成团，暂不能提货' },
  ALREADY_PICKED_UP: { status: 409, message: '该订单已提货' },
  PAYMENT_UNAVAILABLE: { status: 502, message: '微信支付暂时不可用，请稍后再试' },
  LEADER_NOT_FOUND: { status: 404, message: '团长不存在' },
  LEADER_SUSPENDED: { status: 403, message: '该团长已暂停服务' },
  LEADER_SELF: { status: 409, message: '不能绑定自己为团长' },
  LEADER_ALREADY_BOUND: { status: 409, message: '你已经绑定了团长，可在「我的团长」中更换' },
  APPLICATION_PENDING: { status: 409, message: '你的申请正在审核中' },
  ALREADY_LEADER: { status: 409, message: '你已经是团长了' },
  APPLICATION_NOT_PENDING: { status: 409, message: '该申请已处理' },
  NOT_YOUR_PICKUP: { status: 403, message: '该订单不在你的自提点' },
  INSUFFICIENT_COMMISSION: { status: 409, message: '可提现佣金不足' },
  RATE_LIMITED: { status: 429, message: '操作太频繁，请稍后再试' },
  BUSY: { status: 503, message: '当前参与人数较多，请稍后再试' },
  WECHAT_UNAVAILABLE: { status: 502, message: '微信服务暂时不可用，请稍后再试' },
  SERVICE_UNAVAILABLE: { status: 503, message: '服务暂时不可用' },
  DATABASE_UNAVAILABLE: { status: 503, message: '服务暂时不可用，请稍后再试' },
  NOT_IMPLEMENTED: { status: 501, message: '不支持该请求方法' },
  INTERNAL: { status: 500, message: '服务器开小差了，请稍后再试' },
} as const satisfies Record<string, { status: number; message: string }>

export type ErrorCode = keyof typeof ERRORS

export interface ErrorDetail {
  path: string
  message: string
}

/** The JSON body of every error reply. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] | Record<string, unknown> }
}

/** Whether a stored string is one of our error codes (a failure recorded on a document, say). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, value)
}
