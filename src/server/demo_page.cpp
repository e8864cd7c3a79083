#include "server/demo_page.h"

namespace idcard::server {
namespace {
// Uses only the public API, like a mini-program backend would: a token from /demo/token (the
// built-in demo app), then POST /cv/ocr/idcard?detail=1&warnings=1&crop=card,portrait (the
// warnings, quality and the service's own crops are shown beside). Field boxes are drawn from detail's
// pos/card_pos; the "rectified" view maps the card's corners to an upright 85.6 x 54 rectangle
// with an affine transform (three corners; close enough for a preview). Text is always set
// through textContent, never as HTML.
constexpr std::string_view kHtml = R"HTML(<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>idcard-ocr demo</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; padding: 16px; color: #222; background: #f6f7f9; }
  h1 { font-size: 20px; margin: 0 0 12px; }
  .row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
  .panel { background: #fff; border-radius: 8px; padding: 12px; box-shadow: 0 1px 3px #0002; }
  canvas { max-width: 100%; height: auto; display: block; }
  label.pick { display: inline-block; padding: 10px 16px; background: #07c160; color: #fff; border-radius: 6px; cursor: pointer; }
  label.pick input { display: none; }
  table { border-collapse: collapse; }
  td { padding: 3px 10px 3px 0; vertical-align: top; }
  td:first-child { color: #666; }
  pre { max-width: 90vw; overflow: auto; font-size: 12px; background: #fafafa; padding: 8px; }
  #status { margin-left: 12px; color: #666; }
  .bad { color: #c00; }
  #warnings li { color: #b35c00; }
  #crops img { max-width: 214px; margin: 4px 4px 0 0; border: 1px solid #ddd; }
</style>
</head>
<body>
<h1>身份证识别 · idcard-ocr demo</h1>
<p>
  <label class="pick">选择或拍摄身份证 / Choose or photograph a card
    <input id="file" type="file" accept="image/*" capture="environment">
  </label>
  <select id="type"><option value="photo">photo</option><option value="scan">scan</option></select>
  <span id="status" role="status">ready</span>
</p>
<div class="row">
  <div class="panel"><div>Card (rectified)</div><canvas id="card" width="428" height="270"></canvas></div>
  <div class="panel"><div>Fields</div><table id="fields"></table></div>
  <div class="panel"><div>Upload with field boxes</div><canvas id="photo" width="428" height="270"></canvas></div>
  <div class="panel"><div>Quality <span id="quality"></span></div><ul id="warnings"></ul><div id="crops"></div></div>
</div>
<div class="panel" style="margin-top:16px"><div>JSON</div><pre id="json"></pre></div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const LABELS = { name: "姓名", gender: "性别", nationality: "民族", birth: "出生", addr: "住址",
                 id: "公民身份号码", authority: "签发机关", valid_date: "有效期限" };
let token = null;

async function getToken(force) {
  if (token && !force) return token;
  const r = await fetch("/demo/token");
  const j = await r.json();
  if (!j.access_token) throw new Error("no demo token: " + (j.errmsg || r.status));
  token = j.access_token;
  return token;
}

async function recognize(file) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const fd = new FormData();
    fd.append("img", file, file.name || "card.jpg");
    const url = "/cv/ocr/idcard?type=" + encodeURIComponent($("type").value) +
                "&detail=1&warnings=1&crop=card,portrait&access_token=" +
                encodeURIComponent(await getToken(attempt > 0));
    const j = await (await fetch(url, { method: "POST", body: fd })).json();
    if ((j.errcode === 42001 || j.errcode === 40014 || j.errcode === 40001) && attempt === 0) continue;
    return j;
  }
}

function loadImage(file) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("the browser cannot display this image"));
    img.src = URL.createObjectURL(file);
  });
}

function quadPath(ctx, q) {
  ctx.beginPath();
  ctx.moveTo(q.left_top.x, q.left_top.y);
  ctx.lineTo(q.right_top.x, q.right_top.y);
  ctx.lineTo(q.right_bottom.x, q.right_bottom.y);
  ctx.lineTo(q.left_bottom.x, q.left_bottom.y);
  ctx.closePath();
}

function drawBoxes(ctx, j, lineWidth) {
  const fields = j.fields || {};
  ctx.lineWidth = lineWidth;
  if (j.card_pos) { ctx.strokeStyle = "#1677ff"; quadPath(ctx, j.card_pos); ctx.stroke(); }
  if (j.back_card_pos) { ctx.strokeStyle = "#1677ff"; quadPath(ctx, j.back_card_pos); ctx.stroke(); }
  ctx.strokeStyle = "#07c160";
  for (const k of Object.keys(fields)) {
    // A value taken from the number has the number's box: drawn once, with the number.
    if (fields[k].pos && fields[k].text && !fields[k].from_id) { quadPath(ctx, fields[k].pos); ctx.stroke(); }
  }
}

function drawPhoto(img, j) {
  const c = $("photo"), ctx = c.getContext("2d");
  const w = img.naturalWidth, h = img.naturalHeight;
  c.width = w; c.height = h;
  ctx.drawImage(img, 0, 0);
  if (j.img_size && j.img_size.w) ctx.scale(w / j.img_size.w, h / j.img_size.h);
  drawBoxes(ctx, j, Math.max(2, w / 300));
}

function drawCard(img, j) {
  const c = $("card"), ctx = c.getContext("2d");
  const W = 856, H = 540;
  c.width = W; c.height = H;
  ctx.fillStyle = "#eee"; ctx.fillRect(0, 0, W, H);
  const q = j.card_pos;
  if (!q) return;
  const sx = j.img_size && j.img_size.w ? img.naturalWidth / j.img_size.w : 1;
  const sy = j.img_size && j.img_size.h ? img.naturalHeight / j.img_size.h : 1;
  // Card coordinates -> image coordinates: M = [a c e; b d f]; the canvas needs its inverse.
  const a = (q.right_top.x - q.left_top.x) / W, b = (q.right_top.y - q.left_top.y) / W;
  const cc = (q.left_bottom.x - q.left_top.x) / H, d = (q.left_bottom.y - q.left_top.y) / H;
  const e = q.left_top.x, f = q.left_top.y;
  const det = a * d - b * cc;
  if (Math.abs(det) < 1e-9) return;
  ctx.save();
  ctx.setTransform(d / det, -b / det, -cc / det, a / det, (cc * f - d * e) / det, (b * e - a * f) / det);
  ctx.drawImage(img, 0, 0, img.naturalWidth / sx, img.naturalHeight / sy);
  drawBoxes(ctx, j, 2 * Math.hypot(a, b));
  ctx.restore();
}

function showFields(j) {
  const t = $("fields");
  t.textContent = "";
  for (const k of ["type", "name", "gender", "nationality", "birth", "addr", "id", "authority", "valid_date"]) {
    if (j[k] === undefined) continue;
    const tr = t.insertRow();
    tr.dataset.field = k;
    tr.insertCell().textContent = LABELS[k] || k;
    tr.insertCell().textContent = j[k];
    const f = (j.fields || {})[k];
    if (f && f.from_id) tr.insertCell().textContent = "hidden on the card: from the number";
  }
  if (j.checks) {
    const tr = t.insertRow();
    tr.insertCell().textContent = "checks";
    tr.insertCell().textContent = Object.entries(j.checks).map(([k, v]) => k + "=" + v).join(", ");
  }
}

// Each card's warnings (every card of the picture when it holds several) and its crops.
function showReport(j) {
  const list = $("warnings"), crops = $("crops");
  list.textContent = ""; crops.textContent = "";
  $("quality").textContent = j.quality === undefined ? "" : String(j.quality);
  const cards = j.cards || (j.errcode === 0 ? [j] : []);
  for (const card of cards) {
    for (const w of card.warnings || []) {
      const li = document.createElement("li");
      li.dataset.code = w.code;
      li.textContent = (cards.length > 1 ? card.type + ": " : "") + w.message + " (" + w.code + ")";
      list.appendChild(li);
    }
    for (const k of ["card_image", "portrait_image"]) {
      if (!card[k]) continue;
      const img = document.createElement("img");
      img.className = k.replace("_image", "-crop");
      img.alt = card.type + " " + k;
      img.src = "data:image/jpeg;base64," + card[k];
      crops.appendChild(img);
    }
  }
}

// The JSON as answered, the crops' base64 shortened.
function shown(j) {
  return JSON.stringify(j, (k, v) =>
    (k === "card_image" || k === "portrait_image") && typeof v === "string" ? "<base64 JPEG, " + v.length + " chars>" : v, 2);
}

$("file").addEventListener("change", async (ev) => {
  const file = ev.target.files[0];
  if (!file) return;
  const status = $("status");
  status.className = ""; status.textContent = "recognizing…";
  try {
    const [img, j] = await Promise.all([loadImage(file).catch(() => null), recognize(file)]);
    $("json").textContent = shown(j);
    showFields(j);
    showReport(j);
    if (img) { drawPhoto(img, j); drawCard(img, j); }
    status.className = j.errcode === 0 ? "" : "bad";
    status.textContent = j.errcode === 0 ? "done" : "error " + j.errcode;
  } catch (err) {
    status.className = "bad"; status.textContent = String(err.message || err);
  }
  document.body.dataset.state = "done";
});
</script>
</body>
</html>
)HTML";
}  // namespace

std::string_view demo_page_html() { return kHtml; }

}  // namespace idcard::server
