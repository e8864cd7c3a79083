// The demo page in headless Debian Chromium: upload a card image, see the fields, the JSON and
// the canvases. The server is the real binary on loopback with its built-in demo app.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const bin = process.env.IDCARD_OCR_BIN || path.join(repo, "build/idcard-ocr");
// The third-party card set lives next to the repository (../shared/external_cards).
const cards = path.resolve(repo, process.env.IDCARD_EXTERNAL_CARDS || "../shared/external_cards");
const shown = (p) => path.relative(repo, p);  // messages name paths as seen from the repository
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

function frontCard() {
  const lines = readFileSync(path.join(cards, "truth.jsonl"), "utf8").split("\n").filter(Boolean);
  for (const line of lines) {
    const r = JSON.parse(line);
    if (r.side === "Front" && r.file.includes("fake_data_generator") && existsSync(path.join(cards, r.file)))
      return { ...r, path: path.join(cards, r.file) };
  }
  throw new Error(`no Front card under ${shown(cards)}`);
}

let server, baseUrl, dir, browser;

function startServer() {
  dir = mkdtempSync(path.join(tmpdir(), "idcard-demo-"));
  server = spawn(bin, ["serve", "--host", "127.0.0.1", "--port", "0"], {
    env: { ...process.env, IDCARD_OCR_DATABASE_URL: `sqlite:///${dir}/demo.db` },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start")), 120_000);
    server.on("exit", (code) => reject(new Error(`server exited ${code}`)));
    readline.createInterface({ input: server.stdout }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      const e = JSON.parse(line);
      if (e.event === "listening") { clearTimeout(timer); resolve(e.url); }
    });
  });
}

async function waitReady(url) {
  for (let i = 0; i < 1200; i++) {
    try { if ((await fetch(url + "/readyz")).status === 200) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server not ready");
}

before(async () => {
  baseUrl = await startServer();
  await waitReady(baseUrl);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGINT");
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("upload a card and see its fields", async () => {
  const card = frontCard();
  const page = await browser.newPage();
  const offLoopback = [];
  page.on("request", (req) => {
    const u = req.url();
    if (!u.startsWith(baseUrl) && !u.startsWith("blob:") && !u.startsWith("data:")) offLoopback.push(u);
  });
  await page.goto(baseUrl + "/");
  assert.equal(await page.getAttribute("#file", "accept"), "image/*");
  assert.notEqual(await page.getAttribute("#file", "capture"), null);
  await page.setInputFiles("#file", card.path);
  await page.waitForSelector("body[data-state=done]", { timeout: 120_000 });

  const json = JSON.parse(await page.textContent("#json"));
  assert.equal(json.errcode, 0, JSON.stringify(json));
  assert.equal(json.type, "Front");
  assert.ok(json.card_pos && json.fields, "detail=1 answer");
  const field = async (k) => page.textContent(`#fields tr[data-field=${k}] td:nth-child(2)`);
  assert.equal(await field("name"), card.name);
  assert.equal(await field("id"), card.id);
  assert.equal(await page.textContent("#status"), "done");
  // Both canvases were drawn at their working sizes (rectified card 856x540, upload at full size).
  const sizes = await page.evaluate(() => ["card", "photo"].map((id) => {
    const c = document.getElementById(id);
    return [c.width, c.height];
  }));
  assert.deepEqual(sizes[0], [856, 540]);
  assert.ok(sizes[1][0] > 428, "photo canvas resized to the image");
  // The warnings panel: a quality score and the service's crops, decoded by the browser.
  assert.match(await page.textContent("#quality"), /^\d+$/);
  assert.ok(Array.isArray(json.warnings), "warnings=1 answer");
  assert.match(json.card_image, /^<base64 JPEG, \d+ chars>$/);
  const crops = await page.evaluate(async () => Promise.all([...document.querySelectorAll("#crops img")].map(
    async (img) => { await img.decode(); return [img.className, img.naturalWidth, img.naturalHeight]; })));
  assert.deepEqual(crops.map((c) => c[0]), ["card-crop", "portrait-crop"]);
  assert.ok(Math.abs(crops[0][1] / crops[0][2] - 85.6 / 54) < 0.02, JSON.stringify(crops));
  assert.deepEqual(offLoopback, []);
  await page.close();
});

// A contest copy whose gender and birth rows lie under an opaque 复印禁止 block: both are taken
// from its (checked) number, and the page says so beside them.
test("values hidden on the card are marked as taken from the number", async () => {
  const file = path.join(cards, "Mingtzge__2019-CCF-BDCI-OCR-MCZJ-OCR-IdentificationIDElement__1c3a0f9896bf493980d69f8ddeb7a19a.png");
  const page = await browser.newPage();
  await page.goto(baseUrl + "/");
  await page.setInputFiles("#file", file);
  await page.waitForSelector("body[data-state=done]", { timeout: 120_000 });
  const json = JSON.parse(await page.textContent("#json"));
  assert.equal(json.errcode, 0, JSON.stringify(json));
  assert.equal(json.fields.birth.from_id, true);
  const cell = async (k, n) => page.textContent(`#fields tr[data-field=${k}] td:nth-child(${n})`);
  assert.equal(await cell("birth", 2), "19750320");
  assert.match(await cell("birth", 3), /from the number/);
  assert.equal(await page.$(`#fields tr[data-field=id] td:nth-child(3)`), null);  // read on the card
  await page.close();
});

test("a non-image shows the error, not a crash", async () => {
  const page = await browser.newPage();
  await page.goto(baseUrl + "/");
  await page.setInputFiles("#file", { name: "junk.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not an image") });
  await page.waitForSelector("body[data-state=done]", { timeout: 60_000 });
  const json = JSON.parse(await page.textContent("#json"));
  assert.equal(json.errcode, 101002);
  assert.match(await page.textContent("#status"), /error 101002/);
  await page.close();
});
