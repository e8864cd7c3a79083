'use strict'
// Pure unit tests: no service, no network. fetch is injected where a call is made.

const test = require('node:test')
const assert = require('node:assert/strict')

const { createClient, CloudSDKError, camelize, camelKey } = require('..')
const { toCloudResult } = require('../lib/camel')
const { serviceError, systemError, failMessage } = require('../lib/errors')

test('camelKey turns snake_case keys into camelCase', () => {
  assert.equal(camelKey('valid_date'), 'validDate')
  assert.equal(camelKey('card_pos'), 'cardPos')
  assert.equal(camelKey('back_card_pos'), 'backCardPos')
  assert.equal(camelKey('id_checksum_ok'), 'idChecksumOk')
  assert.equal(camelKey('left_top'), 'leftTop')
  assert.equal(camelKey('name'), 'name')
  assert.equal(camelKey('errCode'), 'errCode')
})

test('camelize converts nested keys, keeps values and arrays', () => {
  const quad = { left_top: { x: 1, y: 2 }, right_top: { x: 3, y: 2 }, right_bottom: { x: 3, y: 4 }, left_bottom: { x: 1, y: 4 } }
  const out = camelize({ card_pos: quad, sides: ['Front'], fields: { valid_date: { text: '20150619-长期', confidence: 0.9, pos: quad } } })
  assert.deepEqual(out, {
    cardPos: { leftTop: { x: 1, y: 2 }, rightTop: { x: 3, y: 2 }, rightBottom: { x: 3, y: 4 }, leftBottom: { x: 1, y: 4 } },
    sides: ['Front'],
    fields: {
      validDate: {
        text: '20150619-长期',
        confidence: 0.9,
        pos: { leftTop: { x: 1, y: 2 }, rightTop: { x: 3, y: 2 }, rightBottom: { x: 3, y: 4 }, leftBottom: { x: 1, y: 4 } },
      },
    },
  })
  assert.equal(camelize(null), null)
  assert.equal(camelize('snake_value'), 'snake_value') // values are not touched
})

test('front answer becomes the cloud SDK shape', () => {
  const body = {
    errcode: 0, errmsg: 'ok', type: 'Front', name: '张三', id: '110101199003071234',
    addr: '北京市东城区', gender: '男', nationality: '汉', birth: '19900307',
  }
  assert.deepEqual(toCloudResult(body), {
    errCode: 0, errMsg: 'openapi.ocr.idcard:ok', type: 'Front', name: '张三', id: '110101199003071234',
    addr: '北京市东城区', gender: '男', nationality: '汉', birth: '19900307',
  })
})

test('back answer with detail becomes the cloud SDK shape', () => {
  const pos = { left_top: { x: 0, y: 0 }, right_top: { x: 9, y: 0 }, right_bottom: { x: 9, y: 5 }, left_bottom: { x: 0, y: 5 } }
  const body = {
    errcode: 0, errmsg: 'ok', type: 'Back', valid_date: '20150619-20350619', authority: '某市公安局',
    fields: { valid_date: { text: '20150619-20350619', confidence: 0.98, pos }, authority: { text: '某市公安局', confidence: 0.97, pos } },
    sides: ['Back'], card_pos: pos, img_size: { w: 640, h: 400 }, checks: { valid_span_ok: true },
  }
  const r = toCloudResult(body)
  assert.equal(r.errCode, 0)
  assert.equal(r.errMsg, 'openapi.ocr.idcard:ok')
  assert.equal(r.validDate, '20150619-20350619')
  assert.equal(r.authority, '某市公安局')
  assert.equal(r.fields.validDate.confidence, 0.98)
  assert.deepEqual(r.cardPos.leftTop, { x: 0, y: 0 })
  assert.deepEqual(r.imgSize, { w: 640, h: 400 })
  assert.deepEqual(r.checks, { validSpanOk: true })
  assert.equal('errcode' in r, false)
  assert.equal('errmsg' in r, false)
  assert.equal('valid_date' in r, false)
})

test('service errors are formatted like wx-server-sdk', () => {
  const e = serviceError(101002, 'invalid image data rid: 6651a2b3-1c2d3e4f')
  assert.ok(e instanceof Error)
  assert.ok(e instanceof CloudSDKError)
  assert.equal(e.name, 'CloudSDKError')
  assert.equal(e.errCode, 101002)
  assert.equal(e.errMsg, 'openapi.ocr.idcard:fail 101002 invalid image data rid: 6651a2b3-1c2d3e4f')
  assert.equal(e.message, 'errCode: 101002 | errMsg: openapi.ocr.idcard:fail 101002 invalid image data rid: 6651a2b3-1c2d3e4f')
  assert.equal(serviceError('40013', 'invalid appid').errCode, 40013)
  assert.equal(failMessage(45009, ''), 'openapi.ocr.idcard:fail 45009')
  const s = systemError('request timed out after 5 ms', new Error('x'))
  assert.equal(s.errCode, -1)
  assert.equal(s.errMsg, 'openapi.ocr.idcard:fail -1 request timed out after 5 ms')
  assert.equal(s.cause.message, 'x')
})

test('createClient validates its options', () => {
  assert.throws(() => createClient(), TypeError)
  assert.throws(() => createClient({ appid: 'a', secret: 's' }), TypeError)
  assert.throws(() => createClient({ baseURL: 'ftp://x', appid: 'a', secret: 's' }), TypeError)
  assert.throws(() => createClient({ baseURL: 'http://x', secret: 's' }), TypeError)
  assert.throws(() => createClient({ baseURL: 'http://x', appid: 'a', secret: 's', timeout: 0 }), TypeError)
})

// A fetch double that records requests and answers from a handler.
function fakeFetch(handler) {
  const calls = []
  const fetch = async (url, init = {}) => {
    const u = new URL(url)
    const call = { url: u, init }
    calls.push(call)
    const body = await handler(u, init, calls)
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
  }
  return { fetch, calls }
}

test('sends multipart img, type, detail and the cached token; camelCases the answer', async () => {
  const { fetch, calls } = fakeFetch((u) => {
    if (u.pathname === '/prefix/cgi-bin/token') return { access_token: 'T1', expires_in: 7200 }
    return { errcode: 0, errmsg: 'ok', type: 'Back', valid_date: '20100301-长期', authority: 'X公安局' }
  })
  const client = createClient({ baseURL: 'http://svc.test/prefix/', appid: 'wxA', secret: 'S', fetch })
  const r = await client.openapi.ocr.idcard({ type: 'scan', detail: true, img: { contentType: 'image/png', value: Buffer.from([1, 2, 3]) } })
  assert.deepEqual(r, { errCode: 0, errMsg: 'openapi.ocr.idcard:ok', type: 'Back', validDate: '20100301-长期', authority: 'X公安局' })
  const [tokenCall, ocrCall] = calls
  assert.equal(tokenCall.url.searchParams.get('grant_type'), 'client_credential')
  assert.equal(tokenCall.url.searchParams.get('appid'), 'wxA')
  assert.equal(tokenCall.url.searchParams.get('secret'), 'S')
  assert.equal(ocrCall.init.method, 'POST')
  assert.equal(ocrCall.url.pathname, '/prefix/cv/ocr/idcard')
  assert.equal(ocrCall.url.searchParams.get('type'), 'scan')
  assert.equal(ocrCall.url.searchParams.get('access_token'), 'T1')
  assert.equal(ocrCall.url.searchParams.get('detail'), '1')
  assert.equal(ocrCall.url.searchParams.has('img_url'), false)
  const file = ocrCall.init.body.get('img')
  assert.equal(file.type, 'image/png')
  assert.equal(file.name, 'card.png')
  assert.deepEqual([...new Uint8Array(await file.arrayBuffer())], [1, 2, 3])

  await client.openapi.ocr.idcard({ imgUrl: 'https://cdn.test/a.jpg?x=1&y=2' })
  assert.equal(calls.length, 3, 'the token is cached')
  const urlCall = calls[2]
  assert.equal(urlCall.url.searchParams.get('type'), 'photo', "type defaults to 'photo'")
  assert.equal(urlCall.url.searchParams.get('img_url'), 'https://cdn.test/a.jpg?x=1&y=2')
  assert.equal(urlCall.url.searchParams.has('detail'), false)
  assert.equal(urlCall.init.body, undefined)
})

test('passes warnings, crop and cards through; camelCases the report keys', async () => {
  const { fetch, calls } = fakeFetch((u) => {
    if (u.pathname === '/cgi-bin/token') return { access_token: 'T1', expires_in: 7200 }
    return {
      errcode: 0, errmsg: 'ok', type: 'Back', valid_date: '20100301-20150301', authority: 'X公安局',
      warnings: [{ code: 'expired', message: '证件已过有效期' }], quality: 90, card_image: '/9j/',
    }
  })
  const client = createClient({ baseURL: 'http://svc.test', appid: 'wxA', secret: 'S', fetch })
  const r = await client.openapi.ocr.idcard({ warnings: true, crop: ['card', 'portrait'], cards: true, imgUrl: 'https://x/y.jpg' })
  assert.deepEqual(r.warnings, [{ code: 'expired', message: '证件已过有效期' }])
  assert.equal(r.quality, 90)
  assert.equal(r.cardImage, '/9j/')
  const ocrCall = calls[1]
  assert.equal(ocrCall.url.searchParams.get('warnings'), '1')
  assert.equal(ocrCall.url.searchParams.get('crop'), 'card,portrait')
  assert.equal(ocrCall.url.searchParams.get('cards'), '1')
  await client.openapi.ocr.idcard({ crop: 'portrait', imgUrl: 'https://x/y.jpg' })
  assert.equal(calls[2].url.searchParams.get('crop'), 'portrait')
  assert.equal(calls[2].url.searchParams.has('warnings'), false)
  await assert.rejects(client.openapi.ocr.idcard({ crop: 3, imgUrl: 'https://x/y.jpg' }), TypeError)
})

test('rejects calls without img or imgUrl, or with a bad type', async () => {
  const client = createClient({ baseURL: 'http://svc.test', appid: 'a', secret: 's', fetch: async () => { throw new Error('no call expected') } })
  await assert.rejects(client.openapi.ocr.idcard({ type: 'photo' }), TypeError)
  await assert.rejects(client.openapi.ocr.idcard({ type: 'selfie', imgUrl: 'https://x/y.jpg' }), TypeError)
  await assert.rejects(client.openapi.ocr.idcard({ img: { contentType: 'image/jpeg', value: 'not bytes' } }), TypeError)
})

test('a token endpoint error is thrown with its errcode', async () => {
  const { fetch } = fakeFetch(() => ({ errcode: 40125, errmsg: 'invalid appsecret' }))
  const client = createClient({ baseURL: 'http://svc.test', appid: 'a', secret: 'bad', fetch })
  await assert.rejects(client.openapi.ocr.idcard({ imgUrl: 'https://x/y.jpg' }), (e) => {
    assert.equal(e.errCode, 40125)
    assert.equal(e.errMsg, 'openapi.ocr.idcard:fail 40125 invalid appsecret')
    return true
  })
})

test('concurrent calls share one token fetch; a token error triggers exactly one retry', async () => {
  let issued = 0
  const { fetch, calls } = fakeFetch(async (u) => {
    if (u.pathname === '/cgi-bin/token') {
      await new Promise((r) => setTimeout(r, 20))
      issued += 1
      return { access_token: `T${issued}`, expires_in: 7200 }
    }
    if (u.searchParams.get('access_token') !== `T${issued}`) return { errcode: 40014, errmsg: 'invalid access_token' }
    return { errcode: 0, errmsg: 'ok', type: 'Back', valid_date: '20100301-20200301' }
  })
  const client = createClient({ baseURL: 'http://svc.test', appid: 'a', secret: 's', fetch })
  const results = await Promise.all([1, 2, 3, 4].map(() => client.openapi.ocr.idcard({ imgUrl: 'https://x/y.jpg' })))
  assert.equal(results.length, 4)
  assert.equal(issued, 1)

  issued += 1 // the service now only accepts a token the client does not have yet
  const before = calls.length
  const r = await client.openapi.ocr.idcard({ imgUrl: 'https://x/y.jpg' })
  assert.equal(r.validDate, '20100301-20200301')
  const tokenFetches = calls.slice(before).filter((c) => c.url.pathname === '/cgi-bin/token').length
  assert.equal(tokenFetches, 1)
  assert.equal(calls.length - before, 3, 'call, token fetch, retry')
})

test('a second token error is thrown, not retried again', async () => {
  const { fetch, calls } = fakeFetch((u) => (u.pathname === '/cgi-bin/token'
    ? { access_token: 'T', expires_in: 7200 }
    : { errcode: 42001, errmsg: 'access_token expired' }))
  const client = createClient({ baseURL: 'http://svc.test', appid: 'a', secret: 's', fetch })
  await assert.rejects(client.openapi.ocr.idcard({ imgUrl: 'https://x/y.jpg' }), (e) => e.errCode === 42001)
  assert.equal(calls.filter((c) => c.url.pathname === '/cv/ocr/idcard').length, 2)
})

test('the token is refreshed before expires_in runs out', async () => {
  let issued = 0
  const { fetch } = fakeFetch((u) => {
    if (u.pathname === '/cgi-bin/token') return { access_token: `T${++issued}`, expires_in: 1 }
    return { errcode: 0, errmsg: 'ok', type: 'Back', valid_date: 'x' }
  })
  const client = createClient({ baseURL: 'http://svc.test', appid: 'a', secret: 's', fetch })
  assert.equal(await client.getAccessToken(), 'T1')
  assert.equal(await client.getAccessToken(), 'T1')
  await new Promise((r) => setTimeout(r, 950)) // inside the 1 s lifetime but past the 10% margin
  assert.equal(await client.getAccessToken(), 'T2')
})

test('timeout aborts the request and throws errCode -1', async () => {
  const fetch = (url, init) => new Promise((resolve, reject) => {
    if (new URL(url).pathname === '/cgi-bin/token') {
      resolve(new Response(JSON.stringify({ access_token: 'T', expires_in: 7200 })))
      return
    }
    init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
  })
  const client = createClient({ baseURL: 'http://svc.test', appid: 'a', secret: 's', timeout: 50, fetch })
  const started = Date.now()
  await assert.rejects(client.openapi.ocr.idcard({ imgUrl: 'https://x/y.jpg' }), (e) => {
    assert.ok(e instanceof CloudSDKError)
    assert.equal(e.errCode, -1)
    assert.equal(e.errMsg, 'openapi.ocr.idcard:fail -1 request timed out after 50 ms')
    return true
  })
  assert.ok(Date.now() - started < 2000)
})

test('a non-JSON answer throws errCode -1', async () => {
  const { fetch } = fakeFetch((u) => (u.pathname === '/cgi-bin/token' ? { access_token: 'T', expires_in: 7200 } : '<html>bad gateway</html>'))
  const client = createClient({ baseURL: 'http://svc.test', appid: 'a', secret: 's', fetch })
  await assert.rejects(client.openapi.ocr.idcard({ imgUrl: 'https://x/y.jpg' }), (e) => e.errCode === -1 && /not JSON/.test(e.errMsg))
})

test('the ESM entry point exports the same API', async () => {
  const esm = await import('../index.mjs')
  assert.equal(typeof esm.createClient, 'function')
  assert.equal(esm.CloudSDKError, CloudSDKError)
  assert.equal(esm.default.createClient, esm.createClient)
})
