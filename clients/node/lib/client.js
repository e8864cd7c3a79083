'use strict'

const { TOKEN_ERRCODES, serviceError, systemError } = require('./errors')
const { toCloudResult } = require('./camel')

const DEFAULT_TIMEOUT_MS = 15000
// Refresh this long before the token runs out: 10% of its lifetime, at most 5 minutes.
const MAX_REFRESH_MARGIN_MS = 5 * 60 * 1000

const FILE_EXTENSIONS = {
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/png': 'png',
  'image/bmp': 'bmp',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/tiff': 'tif',
}

function normalizeBaseURL(baseURL) {
  if (typeof baseURL !== 'string' || baseURL === '') throw new TypeError('createClient: baseURL is required')
  const url = new URL(baseURL) // throws on a malformed URL
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`createClient: baseURL must be http(s), got ${url.protocol}`)
  }
  return url.href.replace(/\/+$/, '')
}

function defaultRefreshMargin(expiresInMs) {
  return Math.min(MAX_REFRESH_MARGIN_MS, Math.floor(expiresInMs / 10))
}

function toBytes(value) {
  if (value instanceof Uint8Array) return value // Buffer is a Uint8Array
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  throw new TypeError('openapi.ocr.idcard: img.value must be a Buffer, Uint8Array or ArrayBuffer')
}

/**
 * Runs fetch with a timeout and an optional caller signal; reads the whole body as JSON.
 * Every failure that is not a WeChat-shaped answer becomes a CloudSDKError with errCode -1.
 */
async function fetchJSON(fetchImpl, url, init, timeoutMs, callerSignal) {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeoutMs)
  const onCallerAbort = () => controller.abort(callerSignal.reason)
  if (callerSignal) {
    if (callerSignal.aborted) controller.abort(callerSignal.reason)
    else callerSignal.addEventListener('abort', onCallerAbort, { once: true })
  }
  try {
    let res
    let text
    try {
      res = await fetchImpl(url, { ...init, signal: controller.signal })
      text = await res.text()
    } catch (err) {
      if (timedOut) throw systemError(`request timed out after ${timeoutMs} ms`, err)
      if (callerSignal && callerSignal.aborted) throw systemError('request aborted', callerSignal.reason ?? err)
      throw systemError(`network error: ${err && err.cause ? err.cause.message || err.cause : err.message || err}`, err)
    }
    let body
    try {
      body = JSON.parse(text)
    } catch (err) {
      throw systemError(`HTTP ${res.status}: answer is not JSON`, err)
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw systemError(`HTTP ${res.status}: answer is not a JSON object`)
    }
    // The service answers HTTP 200 with errcode in the body; another status with an errcode
    // body is still reported by its errcode, anything else as a transport failure.
    if (!res.ok && body.errcode === undefined) throw systemError(`HTTP ${res.status}`)
    return body
  } finally {
    clearTimeout(timer)
    if (callerSignal) callerSignal.removeEventListener('abort', onCallerAbort)
  }
}

/**
 * createClient({ baseURL, appid, secret, timeout?, fetch?, tokenRefreshMargin? })
 * returns { openapi: { ocr: { idcard } }, getAccessToken, clearAccessToken }.
 */
function createClient(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('createClient: options object is required')
  const baseURL = normalizeBaseURL(options.baseURL)
  const { appid, secret } = options
  if (typeof appid !== 'string' || appid === '') throw new TypeError('createClient: appid is required')
  if (typeof secret !== 'string' || secret === '') throw new TypeError('createClient: secret is required')
  const timeout = options.timeout === undefined ? DEFAULT_TIMEOUT_MS : options.timeout
  if (typeof timeout !== 'number' || !(timeout > 0)) throw new TypeError('createClient: timeout must be a positive number of ms')
  const fetchImpl = options.fetch === undefined ? globalThis.fetch : options.fetch
  if (typeof fetchImpl !== 'function') throw new TypeError('createClient: no fetch available (Node 18+ required)')
  const marginOption = options.tokenRefreshMargin
  if (marginOption !== undefined && (typeof marginOption !== 'number' || !(marginOption >= 0))) {
    throw new TypeError('createClient: tokenRefreshMargin must be a non-negative number of ms')
  }

  // Token cache: { token, refreshAt } and the one in-flight fetch every concurrent caller awaits.
  let cached = null
  let inflight = null

  async function fetchToken(signal) {
    const url = new URL(`${baseURL}/cgi-bin/token`)
    url.searchParams.set('grant_type', 'client_credential')
    url.searchParams.set('appid', appid)
    url.searchParams.set('secret', secret)
    const startedAt = Date.now()
    const body = await fetchJSON(fetchImpl, url.href, { method: 'GET' }, timeout, signal)
    if (body.errcode !== undefined && Number(body.errcode) !== 0) throw serviceError(body.errcode, body.errmsg)
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw systemError('token answer has no access_token')
    }
    const expiresIn = Number(body.expires_in)
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 0
    const margin = marginOption === undefined ? defaultRefreshMargin(lifetimeMs) : marginOption
    // Counted from when the request was sent, so the service's clock is never outrun.
    return { token: body.access_token, refreshAt: startedAt + lifetimeMs - margin }
  }

  function getToken(signal) {
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.token)
    if (!inflight) {
      // Deliberately not tied to one caller's signal: other callers share this fetch.
      inflight = fetchToken(undefined)
        .then((entry) => {
          cached = entry
          return entry.token
        })
        .finally(() => {
          inflight = null
        })
    }
    if (!signal) return inflight
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(systemError('request aborted', signal.reason))
      const onAbort = () => reject(systemError('request aborted', signal.reason))
      signal.addEventListener('abort', onAbort, { once: true })
      inflight.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  // Drops the cached token unless another caller has already replaced it.
  function invalidate(token) {
    if (cached && cached.token === token) cached = null
  }

  async function idcard(params) {
    if (params === null || typeof params !== 'object') throw new TypeError('openapi.ocr.idcard: params object is required')
    const type = params.type === undefined ? 'photo' : params.type
    if (type !== 'photo' && type !== 'scan') throw new TypeError(`openapi.ocr.idcard: type must be 'photo' or 'scan', got ${type}`)
    const { imgUrl, img, detail, warnings, crop, cards, signal } = params
    // crop: 'card', 'portrait', 'card,portrait' or an array of those; the service checks the values.
    const cropValue = Array.isArray(crop) ? crop.join(',') : crop
    if (cropValue !== undefined && cropValue !== null && typeof cropValue !== 'string') {
      throw new TypeError("openapi.ocr.idcard: crop must be 'card', 'portrait' or both")
    }
    let bytes = null
    let contentType = null
    if (img !== undefined && img !== null) {
      if (typeof img !== 'object') throw new TypeError('openapi.ocr.idcard: img must be { contentType, value }')
      bytes = toBytes(img.value)
      contentType = typeof img.contentType === 'string' && img.contentType !== '' ? img.contentType : 'image/jpeg'
    } else if (typeof imgUrl !== 'string' || imgUrl === '') {
      throw new TypeError('openapi.ocr.idcard: one of img or imgUrl is required')
    }

    const callOnce = async (token) => {
      const url = new URL(`${baseURL}/cv/ocr/idcard`)
      url.searchParams.set('type', type)
      url.searchParams.set('access_token', token)
      if (bytes === null) url.searchParams.set('img_url', imgUrl)
      if (detail) url.searchParams.set('detail', '1')
      if (warnings) url.searchParams.set('warnings', '1')
      if (cropValue) url.searchParams.set('crop', cropValue)
      if (cards) url.searchParams.set('cards', '1')
      const init = { method: 'POST' }
      if (bytes !== null) {
        const form = new FormData()
        const ext = FILE_EXTENSIONS[contentType.toLowerCase()] || 'bin'
        form.append('img', new Blob([bytes], { type: contentType }), `card.${ext}`)
        init.body = form
      }
      return fetchJSON(fetchImpl, url.href, init, timeout, signal)
    }

    let token = await getToken(signal)
    let body = await callOnce(token)
    if (TOKEN_ERRCODES.has(Number(body.errcode))) {
      invalidate(token)
      token = await getToken(signal)
      body = await callOnce(token)
    }
    const errcode = body.errcode === undefined ? 0 : Number(body.errcode)
    if (errcode !== 0) throw serviceError(errcode, body.errmsg)
    return toCloudResult(body)
  }

  return {
    openapi: { ocr: { idcard } },
    /** The cached access token, fetched (or refreshed) first when needed. */
    getAccessToken: ({ forceRefresh = false } = {}) => {
      if (forceRefresh) cached = null
      return getToken(undefined)
    },
    /** Forgets the cached access token; the next call fetches a new one. */
    clearAccessToken: () => {
      cached = null
    },
  }
}

module.exports = { createClient, DEFAULT_TIMEOUT_MS }
