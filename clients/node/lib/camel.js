'use strict'

const { API_NAME } = require('./errors')

// snake_case -> camelCase for one key: valid_date -> validDate, id_checksum_ok -> idChecksumOk.
function camelKey(key) {
  return key.replace(/_+([a-zA-Z0-9])/g, (_, c) => c.toUpperCase())
}

// Deep copy with every object key camelCased; values (strings, numbers, booleans) are kept as is.
function camelize(value) {
  if (Array.isArray(value)) return value.map(camelize)
  if (value !== null && typeof value === 'object') {
    const out = {}
    for (const [k, v] of Object.entries(value)) out[camelKey(k)] = camelize(v)
    return out
  }
  return value
}

// A successful service answer {"errcode":0,"errmsg":"ok",...} in the shape cloud.openapi answers:
// { errCode: 0, errMsg: 'openapi.ocr.idcard:ok', ...camelCased fields }.
function toCloudResult(body) {
  const { errcode, errmsg, ...rest } = body
  return { errCode: 0, errMsg: `${API_NAME}:ok`, ...camelize(rest) }
}

module.exports = { camelKey, camelize, toCloudResult }
