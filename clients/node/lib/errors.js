'use strict'

const API_NAME = 'openapi.ocr.idcard'

// errcodes after which a fresh access token is fetched and the call retried once:
// 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired.
const TOKEN_ERRCODES = new Set([40001, 40014, 42001])

// errCode used for failures that never reached a WeChat-shaped answer (network error, timeout,
// non-JSON or non-2xx HTTP answer). WeChat's own "system busy" code.
const SYSTEM_ERRCODE = -1

/**
 * The error thrown by client.openapi.ocr.idcard, shaped like wx-server-sdk's CloudSDKError:
 *   err.errCode  the service's errcode (or -1 when no answer came back)
 *   err.errMsg   'openapi.ocr.idcard:fail <errcode> <service errmsg>'
 *   err.message  'errCode: <errCode> | errMsg: <errMsg>'
 */
class CloudSDKError extends Error {
  constructor(errCode, errMsg, options) {
    super(`errCode: ${errCode} | errMsg: ${errMsg}`, options && options.cause !== undefined ? { cause: options.cause } : undefined)
    this.name = 'CloudSDKError'
    this.errCode = errCode
    this.errMsg = errMsg
  }
}

function failMessage(errcode, errmsg) {
  const detail = errmsg === undefined || errmsg === null || errmsg === '' ? '' : ` ${errmsg}`
  return `${API_NAME}:fail ${errcode}${detail}`
}

// The error for a non-zero errcode answered by the service (OCR call or token endpoint).
function serviceError(errcode, errmsg) {
  const code = Number(errcode)
  return new CloudSDKError(code, failMessage(code, errmsg))
}

// The error for a call that got no usable answer.
function systemError(reason, cause) {
  return new CloudSDKError(SYSTEM_ERRCODE, failMessage(SYSTEM_ERRCODE, reason), { cause })
}

module.exports = { API_NAME, TOKEN_ERRCODES, SYSTEM_ERRCODE, CloudSDKError, failMessage, serviceError, systemError }
