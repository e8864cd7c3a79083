'use strict'
// Starts the project's own idcard-ocr binary for the integration tests: a throwaway SQLite
// database in a temp dir, one app created with `apps create`, `serve` on a free loopback port.

const { spawn, execFile } = require('node:child_process')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')

const PKG_ROOT = path.resolve(__dirname, '..', '..') // clients/node
const REPO_ROOT = path.resolve(PKG_ROOT, '..', '..')
// The repository's parent directory holds shared/ (test images and their truth).
const CARDS_DIR = path.resolve(PKG_ROOT, '..', '..', '..', 'shared', 'external_cards')

function binaryPath() {
  const fromEnv = process.env.IDCARD_OCR_BIN
  return fromEnv ? path.resolve(fromEnv) : path.resolve(PKG_ROOT, '..', '..', 'build', 'idcard-ocr')
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

function run(bin, args, env) {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, cwd: REPO_ROOT, timeout: 120000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\n$ ${bin} ${args.join(' ')}\nstdout: ${stdout}\nstderr: ${stderr}`
        reject(err)
      } else resolve(stdout)
    })
  })
}

// The one JSON line {"appid","secret"} that `apps create` prints (log lines, if any, are skipped).
function parseApp(stdout) {
  for (const line of stdout.split('\n').reverse()) {
    try {
      const obj = JSON.parse(line)
      if (obj && typeof obj.appid === 'string' && typeof obj.secret === 'string') return obj
    } catch {
      // not the JSON line
    }
  }
  throw new Error(`apps create printed no {"appid","secret"} line:\n${stdout}`)
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * startService({ tokenTtl }) -> { baseURL, appid, secret, stop() }
 * Waits for GET /readyz to answer 200 (model loading), up to IDCARD_OCR_READY_TIMEOUT_MS (60 s).
 */
async function startService({ tokenTtl = 3 } = {}) {
  const bin = binaryPath()
  if (!fs.existsSync(bin)) {
    throw new Error(`idcard-ocr binary not found at ${bin}: build it (make build) or set IDCARD_OCR_BIN`)
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'idcard-ocr-node-'))
  const env = {
    ...process.env,
    IDCARD_OCR_DATABASE_URL: `sqlite:///${tmp}/t.db`,
    IDCARD_OCR_DATA_DIR: tmp,
  }
  let child = null
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true })
  try {
    const app = parseApp(await run(bin, ['apps', 'create', '--name', 'node-test'], env))
    const port = await freePort()
    const baseURL = `http://127.0.0.1:${port}`
    const args = ['serve', '--host', '127.0.0.1', '--port', String(port), '--token-ttl', String(tokenTtl)]
    child = spawn(bin, args, { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-8000)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    let exited = null
    const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
      exited = { code, signal }
      resolve(exited)
    }))

    const timeoutMs = Number(process.env.IDCARD_OCR_READY_TIMEOUT_MS) || 60000
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (exited) {
        throw new Error(`idcard-ocr serve exited (code ${exited.code}, signal ${exited.signal}) before /readyz answered 200\n$ ${bin} ${args.join(' ')}\n${output}`)
      }
      try {
        const res = await fetch(`${baseURL}/readyz`, { signal: AbortSignal.timeout(2000) })
        await res.arrayBuffer()
        if (res.status === 200) break
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`idcard-ocr serve: /readyz not 200 after ${timeoutMs} ms\n${output}`)
      await sleep(250)
    }

    const proc = child
    return {
      baseURL,
      appid: app.appid,
      secret: app.secret,
      output: () => output,
      async stop() {
        if (!exited) {
          proc.kill('SIGTERM')
          const killed = await Promise.race([exitPromise, sleep(5000).then(() => null)])
          if (!killed) {
            proc.kill('SIGKILL')
            await exitPromise
          }
        }
        cleanup()
      },
    }
  } catch (err) {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    cleanup()
    throw err
  }
}

/**
 * A fetch that counts token fetches and OCR calls, records OCR answers' errcodes, and lets a test
 * rewrite an OCR request's URL (rewriteOcrUrl) or a token answer (rewriteToken) on the way.
 */
function countingFetch({ rewriteOcrUrl, rewriteToken } = {}) {
  const stats = { tokenFetches: 0, ocrCalls: 0, ocrErrcodes: [], tokens: [] }
  const fetchImpl = async (input, init) => {
    let url = new URL(input)
    if (url.pathname.endsWith('/cgi-bin/token')) {
      stats.tokenFetches += 1
      const res = await fetch(url, init)
      const body = await res.json()
      if (body.access_token) stats.tokens.push(body.access_token)
      const out = rewriteToken ? rewriteToken(body) : body
      return new Response(JSON.stringify(out), { status: res.status, headers: { 'content-type': 'application/json' } })
    }
    if (url.pathname.endsWith('/cv/ocr/idcard')) {
      stats.ocrCalls += 1
      if (rewriteOcrUrl) url = rewriteOcrUrl(url, stats.ocrCalls) || url
      const res = await fetch(url, init)
      const text = await res.text()
      try {
        stats.ocrErrcodes.push(JSON.parse(text).errcode)
      } catch {
        stats.ocrErrcodes.push(undefined)
      }
      return new Response(text, { status: res.status, headers: res.headers })
    }
    return fetch(url, init)
  }
  return { fetch: fetchImpl, stats }
}

// A Front and a Back image of the same card, with their truth (shared/external_cards/truth.jsonl).
function cards() {
  const truth = new Map()
  for (const line of fs.readFileSync(path.join(CARDS_DIR, 'truth.jsonl'), 'utf8').split('\n')) {
    if (line.trim()) {
      const row = JSON.parse(line)
      truth.set(row.file, row)
    }
  }
  const stem = 'Mingtzge__2019-CCF-BDCI-OCR-MCZJ-fake_data_generator__00a1eec24f304c20ab477e2acf6a73bf'
  const load = (file) => {
    const row = truth.get(file)
    if (!row) throw new Error(`${file} is not in truth.jsonl`)
    return { file, truth: row, bytes: fs.readFileSync(path.join(CARDS_DIR, file)) }
  }
  return { front: load(`${stem}_1.jpg`), back: load(`${stem}_0.jpg`) }
}

module.exports = { startService, countingFetch, cards, binaryPath, CARDS_DIR, sleep }
