'use strict'
// Integration tests against the REAL idcard-ocr service (the project's own binary), started here:
// SQLite in a temp dir, one app from `apps create`, `serve --token-ttl 3` on a free loopback port.
// Binary: $IDCARD_OCR_BIN, default ../../build/idcard-ocr relative to clients/node.

const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')

const { createClient, CloudSDKError, TOKEN_ERRCODES } = require('..')
const { startService, countingFetch, cards, sleep } = require('./helpers/service')

const TOKEN_TTL_S = 3
const PAST_EXPIRY_MS = TOKEN_TTL_S * 1000 + 700
const CLIENT_TIMEOUT_MS = 60000 // a shared 2-core machine: leave recognition room
const JUNK = Buffer.from('this is not an image, just some junk bytes \x00\x01\x02\xff'.repeat(8), 'binary')

// Every key at any depth, to check nothing snake_case leaks through.
function allKeys(value, out = []) {
  if (Array.isArray(value)) value.forEach((v) => allKeys(v, out))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k)
      allKeys(v, out)
    }
  }
  return out
}

describe('idcard-ocr-client against the real service', () => {
  let svc
  const { front, back } = cards()
  const newClient = (extra = {}) => {
    const counting = countingFetch(extra)
    const client = createClient({
      baseURL: svc.baseURL, appid: svc.appid, secret: svc.secret, timeout: CLIENT_TIMEOUT_MS, fetch: counting.fetch,
    })
    return { client, stats: counting.stats }
  }
  const frontImg = { contentType: 'image/jpeg', value: front.bytes }
  const backImg = { contentType: 'image/jpeg', value: back.bytes }

  before(async () => {
    svc = await startService({ tokenTtl: TOKEN_TTL_S })
  })

  after(async () => {
    if (svc) await svc.stop()
  })

  it('reads a front image like cloud.openapi.ocr.idcard', async () => {
    const { client, stats } = newClient()
    const r = await client.openapi.ocr.idcard({ type: 'photo', img: frontImg })
    assert.equal(r.errCode, 0)
    assert.equal(r.errMsg, 'openapi.ocr.idcard:ok')
    assert.equal(r.type, 'Front')
    const t = front.truth
    assert.equal(r.id, t.id)
    assert.equal(r.name, t.name)
    assert.equal(r.addr, t.addr)
    assert.equal(r.gender, t.gender)
    assert.equal(r.nationality, t.nationality)
    assert.equal(r.birth, t.birth.replace(/-/g, ''))
    assert.equal('errcode' in r, false)
    assert.equal('errmsg' in r, false)
    assert.equal(stats.tokenFetches, 1)
  })

  it('reads a back image: validDate and authority in camelCase', async () => {
    const { client } = newClient()
    const r = await client.openapi.ocr.idcard({ type: 'photo', img: backImg })
    assert.equal(r.errCode, 0)
    assert.equal(r.errMsg, 'openapi.ocr.idcard:ok')
    assert.equal(r.type, 'Back')
    const { valid_from: from, valid_to: to } = back.truth
    const expected = `${from.replace(/\./g, '')}-${to === '长期' ? to : to.replace(/\./g, '')}`
    assert.equal(r.validDate, expected)
    assert.equal(r.authority, back.truth.authority)
    assert.equal('valid_date' in r, false)
  })

  it('camelCases the detail extras at every depth', async () => {
    const { client } = newClient()
    const r = await client.openapi.ocr.idcard({ type: 'scan', detail: true, img: frontImg })
    assert.equal(r.type, 'Front')
    assert.equal(typeof r.fields.name.text, 'string')
    assert.equal(typeof r.fields.id.confidence, 'number')
    assert.equal(typeof r.fields.id.pos.leftTop.x, 'number')
    assert.equal(typeof r.cardPos.leftTop.x, 'number')
    assert.equal(typeof r.cardPos.rightBottom.y, 'number')
    assert.equal(typeof r.imgSize.w, 'number')
    assert.equal(typeof r.checks.idChecksumOk, 'boolean')
    assert.deepEqual(allKeys(r).filter((k) => k.includes('_')), [])
  })

  it('throws errCode 101002 with the cloud SDK errMsg on junk bytes', async () => {
    const { client } = newClient()
    await assert.rejects(client.openapi.ocr.idcard({ type: 'photo', img: { contentType: 'image/jpeg', value: JUNK } }), (e) => {
      assert.ok(e instanceof Error)
      assert.ok(e instanceof CloudSDKError)
      assert.equal(e.errCode, 101002)
      assert.match(e.errMsg, /^openapi\.ocr\.idcard:fail 101002 invalid image data/)
      assert.equal(e.message, `errCode: 101002 | errMsg: ${e.errMsg}`)
      return true
    })
  })

  it('throws the token endpoint error for a wrong secret', async () => {
    const client = createClient({ baseURL: svc.baseURL, appid: svc.appid, secret: `${svc.secret}-wrong`, timeout: CLIENT_TIMEOUT_MS })
    await assert.rejects(client.openapi.ocr.idcard({ img: frontImg }), (e) => {
      assert.ok(e instanceof CloudSDKError)
      assert.notEqual(e.errCode, 0)
      assert.notEqual(e.errCode, -1)
      assert.ok(e.errMsg.startsWith(`openapi.ocr.idcard:fail ${e.errCode}`), e.errMsg)
      return true
    })
  })

  it('refreshes the token before it expires (--token-ttl 3)', async () => {
    const { client, stats } = newClient()
    const first = await client.openapi.ocr.idcard({ img: backImg })
    assert.equal(first.type, 'Back')
    assert.equal(stats.tokenFetches, 1)
    await sleep(PAST_EXPIRY_MS)
    const second = await client.openapi.ocr.idcard({ img: backImg })
    assert.equal(second.type, 'Back')
    assert.equal(stats.tokenFetches, 2, 'a new token was fetched')
    assert.notEqual(stats.tokens[0], stats.tokens[1])
    assert.equal(stats.ocrCalls, 2, 'refreshed ahead of expiry: no rejected call, no retry')
  })

  it('concurrent calls share one token fetch, also after expiry', async () => {
    const { client, stats } = newClient()
    const batch = () => Promise.all([1, 2, 3].map(() => client.openapi.ocr.idcard({ img: backImg })))
    for (const r of await batch()) assert.equal(r.type, 'Back')
    assert.equal(stats.tokenFetches, 1)
    await sleep(PAST_EXPIRY_MS)
    for (const r of await batch()) assert.equal(r.type, 'Back')
    assert.equal(stats.tokenFetches, 2)
    assert.equal(stats.ocrCalls, 6)
  })

  it('retries once with a fresh token after the service rejects a corrupted token', async () => {
    const { client, stats } = newClient({
      rewriteOcrUrl: (url, n) => {
        if (n === 1) url.searchParams.set('access_token', 'corrupted-token-0000')
        return url
      },
    })
    const r = await client.openapi.ocr.idcard({ img: backImg })
    assert.equal(r.type, 'Back')
    assert.ok(TOKEN_ERRCODES.has(stats.ocrErrcodes[0]), `first answer errcode ${stats.ocrErrcodes[0]} (expected 40014)`)
    assert.equal(stats.ocrErrcodes[1], 0)
    assert.equal(stats.ocrCalls, 2)
    assert.equal(stats.tokenFetches, 2)
  })

  it('retries only once: a second token error is thrown', async () => {
    const { client, stats } = newClient({
      rewriteOcrUrl: (url) => {
        url.searchParams.set('access_token', 'corrupted-token-0000')
        return url
      },
    })
    await assert.rejects(client.openapi.ocr.idcard({ img: backImg }), (e) => {
      assert.ok(TOKEN_ERRCODES.has(e.errCode), `errCode ${e.errCode}`)
      assert.ok(e.errMsg.startsWith(`openapi.ocr.idcard:fail ${e.errCode}`))
      return true
    })
    assert.equal(stats.ocrCalls, 2)
    assert.equal(stats.tokenFetches, 2)
  })

  it('retries once after the service expires a token the client still trusts', async () => {
    // The client is told the token lives 7200 s; the service expires it after 3 s.
    const { client, stats } = newClient({ rewriteToken: (body) => ({ ...body, expires_in: 7200 }) })
    assert.equal((await client.openapi.ocr.idcard({ img: backImg })).type, 'Back')
    await sleep(PAST_EXPIRY_MS)
    assert.equal((await client.openapi.ocr.idcard({ img: backImg })).type, 'Back')
    assert.ok(TOKEN_ERRCODES.has(stats.ocrErrcodes[1]), `expired-token errcode ${stats.ocrErrcodes[1]} (expected 42001)`)
    assert.equal(stats.ocrCalls, 3)
    assert.equal(stats.tokenFetches, 2)
  })
})
