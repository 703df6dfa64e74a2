#!/usr/bin/env node
// Opens every chapter of the built book in Debian's Chromium, driven by Playwright,
// and reports what a reader would see broken. USAGE says what is checked; the book's
// "Running and testing" chapter says why.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const USAGE = `usage: scripts/browser-check/check.mjs [--require] [--self-test]

Builds the book, serves it on 127.0.0.1 under a subfolder and opens every chapter of
book/src/SUMMARY.md in headless Chromium. Fails on an ERROR from mdbook, a console
error or uncaught exception, a failed request or 4xx/5xx answer, an image that did not
load or has zero size, an empty code block, an unresolved {{#include}}, a page without
<h1>, an absolute link, a chart not drawn at the content width or without a text
alternative, and a search or next-chapter link that does not take a reader where it
should. Saves a screenshot of a chapter with a chart: target/browser-check/chapter.png.

  --require    fail, instead of printing SKIPPED, when chromium is not installed
  --self-test  check throwaway books with planted defects; fail unless each is found

Exit status: 0 ok, 1 problems, 2 bad arguments.`;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const CHROMIUM = "/usr/bin/chromium";
// As root Chromium's sandbox cannot start. The network here is closed: without the
// background-networking flags Chromium's own calls home are refused, and logged.
// prettier-ignore
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
// Published books usually live in a subfolder (user.github.io/book/); serving this
// one the same way turns every absolute link into a 404.
const SUBFOLDER = "/published/in/a/subfolder/";
const VIEWPORT = { width: 1280, height: 900 };
// A chart is drawn for the full column (the benchmark charts are 800 px wide and
// mdBook's CSS scales images down to its 750 px column). 90% still allows a border
// or a margin, but catches one shown at a fixed smaller size or squeezed by markup,
// whose labels (10 px at full width) shrink with it.
const MIN_CHART_SHARE = 0.9;
// A word from a chapter's title: titles weigh most in mdBook's search ranking.
const BOOK_SEARCH = { word: "pipeline", page: "sync/sync-message-passing.html" };
// A real directive has an argument; prose may mention a bare {{#include}}.
const INCLUDE = /\{\{#(include|rustdoc_include|playground|title)\s[^}]*\}\}/;

let tmp = null; // everything this script writes outside target/
let browser = null;

// Synchronous, so that it also runs from process.on("exit") after a signal. Every
// child is killed, mdbook and Chromium alike; Chromium leads a process group of its
// own (Playwright starts it so), and its renderers go with the group.
function cleanUp() {
  const task = `/proc/${process.pid}/task`;
  const children = (t) => {
    try {
      return fs.readFileSync(`${task}/${t}/children`, "utf8").split(" ").filter(Boolean);
    } catch {
      return []; // the thread ended meanwhile
    }
  };
  for (const pid of fs.readdirSync(task).flatMap(children)) {
    for (const target of [-pid, +pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {} // not a group leader, or already gone
    }
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
}

async function main(argv) {
  const unknown = argv.filter((a) => !["--require", "--self-test", "-h", "--help"].includes(a));
  if (argv.includes("-h") || argv.includes("--help")) return (console.log(USAGE), 0);
  if (unknown.length) return (console.error(`unknown argument: ${unknown[0]}\n\n${USAGE}`), 2);
  try {
    fs.accessSync(CHROMIUM, fs.constants.X_OK);
  } catch {
    if (!argv.includes("--require")) return (console.log(`SKIPPED: no ${CHROMIUM}, nothing checked`), 0);
    console.error(`browser check FAILED: no ${CHROMIUM} (apt-get install chromium) and --require was given`);
    return 1;
  }
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    console.error(`browser check FAILED: playwright-core is missing (npm ci --prefix ${HERE})`);
    return 1;
  }
  const started = Date.now();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "browser-check-"));
  // Playwright's files, the fresh profile that launch() makes and Chromium's own
  // temporary files all follow TMPDIR: removing tmp removes every trace of the run.
  process.env.TMPDIR = tmp;
  // Playwright's signal handlers are off: ours set the exit status and clean up.
  const quiet = { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false };
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, ...quiet });
  try {
    const ok = argv.includes("--self-test") ? await selfTest() : await checkThisBook();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`browser check ${ok ? "passed" : "FAILED"} in ${seconds} s`);
    return ok ? 0 : 1;
  } finally {
    await browser.close();
    browser = null;
  }
}

async function checkThisBook() {
  const shot = path.join(ROOT, "target", "browser-check", "chapter.png");
  fs.mkdirSync(path.dirname(shot), { recursive: true });
  fs.rmSync(shot, { force: true });
  const problems = await checkBook(path.join(ROOT, "book"), BOOK_SEARCH, shot);
  print(problems);
  if (fs.existsSync(shot)) console.log(`screenshot: ${path.relative(process.cwd(), shot)}`);
  return problems.length === 0;
}

// ------------------------------------------------------------------ one book

/** Every problem found, as { where, text }: where is a page, "mdbook" or a reader's task. */
async function checkBook(bookDir, search, screenshot) {
  const problems = [];
  // mdBook shows each image twice (the second copy is for its zoom view): say it once.
  const note = (where, text) =>
    problems.some((p) => p.where === where && p.text === text) || problems.push({ where, text });
  const html = await buildBook(bookDir, fs.mkdtempSync(path.join(tmp, "build-")), note);
  if (!html) return problems;
  const chapters = summaryChapters(fs.readFileSync(path.join(bookDir, "src", "SUMMARY.md"), "utf8"));
  if (chapters.length < 2) note("SUMMARY.md", `${chapters.length} chapter(s), the next-link check needs 2`);
  const server = await serve(html);
  const base = `http://127.0.0.1:${server.address().port}${SUBFOLDER}`;
  const context = await browser.newContext({ viewport: VIEWPORT });
  // Generous, for a machine busy with other builds: a page that loads at all loads in seconds.
  context.setDefaultTimeout(60000);
  const open = (chapter, where, task) => visit(context, base, chapter, where, task, note);
  try {
    // Two pages at once: a page spends most of its time waiting on the browser.
    const charts = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < chapters.length; i = next++)
        charts[i] = await open(chapters[i], chapters[i], inspect);
    };
    await Promise.all([worker(), worker()]);
    chapters.forEach((chapter, i) => {
      const bad = problems.some((p) => p.where === chapter);
      console.log(`${bad ? "FAIL" : "ok  "}  ${chapter}${charts[i] ? ` (${charts[i]} chart(s))` : ""}`);
    });
    if (chapters.length >= 2) {
      await open(chapters[0], "reader: next chapter", (page, say) =>
        followNext(page, say, base, chapters[1]),
      );
    }
    await open(chapters[0], "reader: search", (page, say) => searchFor(page, say, base, search));
    const chartPage = chapters.find((_, i) => charts[i] > 0);
    if (!chartPage) note("screenshot", "no chapter has a chart to take a screenshot of");
    else await open(chartPage, "screenshot", (page) => shoot(page, screenshot));
  } finally {
    await context.close();
    await new Promise((done) => server.close(done));
  }
  return problems;
}

async function buildBook(bookDir, dest, note) {
  const output = [];
  const status = await new Promise((done) => {
    const child = spawn("mdbook", ["build", "--dest-dir", dest, bookDir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (d) => output.push(d));
    child.on("error", (e) => done(e.message));
    child.on("close", done);
  });
  const text = Buffer.concat(output).toString();
  // A Set: mdBook runs the preprocessors, and so repeats their errors, once per renderer.
  for (const line of new Set(text.split("\n").filter((l) => /\bERROR\b/.test(l))))
    note("mdbook", line.trim());
  if (status !== 0) (console.error(text), note("mdbook", `mdbook build failed (${status}): output above`));
  // One renderer writes into dest, several (this book adds linkcheck2) into dest/html.
  const html = [path.join(dest, "html"), dest].find((d) => fs.existsSync(path.join(d, "index.html")));
  if (!html) note("mdbook", "no index.html was written");
  return html;
}

/** The pages SUMMARY.md links to, in order; a draft's empty link has none. */
function summaryChapters(summary) {
  const pages = [];
  for (const [, target] of summary.matchAll(/\[[^\]]*\]\(([^)]*)\)/g)) {
    const file = target.trim().split("#")[0];
    const page = file.replace(/(^|\/)README\.md$/, "$1index.md").replace(/\.md$/, ".html");
    if (file && !pages.includes(page)) pages.push(page);
  }
  return pages;
}

// prettier-ignore
const TYPES = {
  ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
  ".png": "image/png", ".json": "application/json", ".woff2": "font/woff2", ".woff": "font/woff",
  ".ttf": "font/ttf", ".txt": "text/plain",
};

function serve(dir) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.join(dir, url.slice(SUBFOLDER.length).replace(/(^|\/)$/, "$1index.html"));
    if (!url.startsWith(SUBFOLDER) || !file.startsWith(dir + path.sep)) return res.writeHead(404).end();
    fs.readFile(file, (err, body) => {
      if (err) return res.writeHead(404).end();
      res
        .writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" })
        .end(body);
    });
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

// ------------------------------------------------------------------ one page

/** Opens a chapter, runs task(page, say) on it, and notes under `where` everything
 * that went wrong in the browser meanwhile. Returns what task returns. */
async function visit(context, base, chapter, where, task, note) {
  const page = await context.newPage();
  const pending = new Set();
  let open = true;
  // The page is closed with requests (mdBook's prefetch of the next chapter) perhaps
  // still running: their abort is not the book's fault.
  const say = (text) => open && note(where, text);
  const name = (url) => (url.startsWith(base) ? url.slice(base.length) : url);
  page.on("request", (r) => pending.add(r));
  // A navigation cancels the old document's requests, the favicon among them, and
  // Playwright reports no end for some of them.
  page.on("framenavigated", (frame) => frame === page.mainFrame() && pending.clear());
  page.on("requestfinished", (r) => pending.delete(r));
  page.on("requestfailed", (r) => {
    pending.delete(r);
    say(`request failed: ${name(r.url())} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => r.status() >= 400 && say(`HTTP ${r.status()} for ${name(r.url())}`));
  page.on("pageerror", (e) => say(`uncaught exception: ${e.message}`));
  page.on("console", (m) => {
    // "Failed to load resource" repeats a failed request, reported above with its URL.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
      say(`console error: ${m.text()}`);
  });
  try {
    await page.goto(base + chapter, { waitUntil: "load" });
    const result = await task(page, say);
    await settle(page, pending);
    return result;
  } catch (e) {
    say(e.message.split("\n")[0]);
  } finally {
    open = false;
    await page.close();
  }
}

/** Waits until no request has been pending for 200 ms, so that a late answer (a
 * font, a script loaded on demand) is judged before the page is closed. */
async function settle(page, pending) {
  const deadline = Date.now() + 30000;
  for (let quietSince = Date.now(); Date.now() - quietSince < 200;) {
    if (Date.now() > deadline)
      throw new Error(`still loading after 30 s: ${[...pending].map((r) => r.url())}`);
    await page.waitForTimeout(50);
    if (pending.size) quietSince = Date.now();
  }
}

/** Notes what is wrong in the page's DOM and returns how many charts it has. */
async function inspect(page, say) {
  const { found, charts } = await page.evaluate(findings, [MIN_CHART_SHARE, INCLUDE.source]);
  found.forEach(say);
  return charts;
}

// Runs in the browser, so it sees the page as laid out for a reader.
function findings([minShare, include]) {
  const found = [];
  const main = document.querySelector("main");
  if (!main?.querySelector("h1")) found.push("no <h1> in <main>");
  if (!main) return { found, charts: 0 };
  if ([...main.querySelectorAll("pre > code")].some((c) => !c.textContent.trim()))
    found.push("empty code block");
  for (const m of new Set(main.textContent.match(new RegExp(include, "g")))) found.push(`unresolved ${m}`);
  for (const el of document.querySelectorAll("[href], [src], [data]")) {
    for (const attr of ["href", "src", "data"]) {
      const value = el.getAttribute(attr) ?? "";
      if (/^\/(?!\/)/.test(value)) found.push(`absolute link <${el.localName} ${attr}="${value}">`);
    }
  }
  // mdBook's zoomed copy of each image is display:none until clicked: it has no size,
  // but it must have loaded. A chart that did not load or has no size is not measured.
  const zero = (el) =>
    el.checkVisibility() && !(el.getBoundingClientRect().width && el.getBoundingClientRect().height);
  const title = (svg) => svg.querySelector(":scope > title")?.textContent.trim();
  const charts = [];
  for (const img of main.querySelectorAll("img")) {
    const src = img.getAttribute("src");
    if (!img.complete || !img.naturalWidth) found.push(`image did not load: ${src}`);
    else if (zero(img)) found.push(`image renders at zero size: ${src}`);
    else if (/\.svg([?#]|$)/.test(src) && img.checkVisibility()) charts.push([img, src, img.alt.trim()]);
  }
  for (const obj of main.querySelectorAll("object")) {
    const svg = obj.contentDocument?.documentElement;
    const data = obj.getAttribute("data");
    if (svg?.localName !== "svg") found.push(`object did not load an SVG: ${data}`);
    else if (zero(obj)) found.push(`object renders at zero size: ${data}`);
    else charts.push([obj, data, obj.getAttribute("aria-label") || title(svg)]);
  }
  // Inline SVG, but not mdBook's icons: its code-block buttons are SVG too.
  for (const svg of main.querySelectorAll("svg")) {
    if (svg.parentElement.closest("svg, button, .buttons, .fa-svg")) continue;
    if (zero(svg)) found.push("inline <svg> renders at zero size");
    else charts.push([svg, "inline <svg>", svg.getAttribute("aria-label") || title(svg)]);
  }
  const style = getComputedStyle(main);
  const left = main.getBoundingClientRect().left + parseFloat(style.paddingLeft);
  const width = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  for (const [el, name, alternative] of charts) {
    if (!alternative) found.push(`chart ${name} has no text alternative (alt, <title> or aria-label)`);
    const box = el.getBoundingClientRect();
    const [from, to] = [box.left - left, box.right - left].map(Math.round);
    if (from < -1 || to > width + 1)
      found.push(`chart ${name} overflows the content column: ${from} to ${to} px of ${width}`);
    else if (box.width < minShare * width)
      found.push(`chart ${name} is ${to - from} px wide, under ${minShare * 100}% of the ${width} px column`);
  }
  return { found, charts: charts.length };
}

/** A reader on the first chapter clicks "next" and should land on the second. */
async function followNext(page, say, base, second) {
  const next = page.locator('a[rel~="next"]').filter({ visible: true }).first();
  if (!(await next.count())) return say("the first chapter has no visible next-chapter link");
  await goBy(page, () => next.click());
  const landed = page.url().split(/[?#]/)[0].replace(base, "");
  if (landed !== second) say(`the next-chapter link led to ${landed}, not to ${second}`);
}

/** A reader types a word into the search box and opens the chapter it lists. */
async function searchFor(page, say, base, { word, page: target }) {
  const toggle = page.locator("#mdbook-search-toggle");
  if (!(await toggle.count())) return say("no search box (#mdbook-search-toggle) on the first chapter");
  await toggle.click();
  // Key by key: mdBook searches on keyup, which fill() does not send.
  await page.locator("#mdbook-searchbar").pressSequentially(word);
  const hit = page.locator(`#mdbook-searchresults a[href*="${target}"]`).first();
  try {
    await hit.waitFor();
  } catch {
    return say(`searching for "${word}" did not list ${target}`);
  }
  await goBy(page, () => hit.click());
  const landed = page.url().split(/[?#]/)[0].replace(base, "");
  if (landed !== target) return say(`the search result for "${word}" led to ${landed}, not to ${target}`);
  // What a reader looks for: the word, highlighted in the chapter.
  await page.locator("main mark").first().waitFor();
}

async function goBy(page, click) {
  const from = page.url();
  await click();
  await page.waitForURL((url) => url.href !== from, { waitUntil: "load" });
}

/** The page's first chart, with the text around it, as a reader sees it. */
async function shoot(page, file) {
  await page.evaluate(() =>
    [...document.querySelectorAll("main img, main object, main svg")]
      .filter((el) => el.localName !== "img" || /\.svg([?#]|$)/.test(el.getAttribute("src")))
      .find((el) => el.checkVisibility() && !el.parentElement.closest("svg, button, .buttons, .fa-svg"))
      ?.scrollIntoView({ block: "center" }),
  );
  await page.screenshot({ path: file });
}

function print(problems) {
  for (const where of new Set(problems.map((p) => p.where))) {
    console.log(`FAIL  ${where}`);
    for (const p of problems.filter((p) => p.where === where)) console.log(`        - ${p.text}`);
  }
  console.log(`${problems.length} problem(s)`);
}

// ------------------------------------------------------------------ self-test

const CHART = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400" viewBox="0 0 800 400">
<title>a test chart</title><rect width="800" height="400" fill="steelblue"/></svg>\n`;
const TOML = '[book]\ntitle = "self-test"\n[output.html.playground]\nrunnable = false\n';
// What real chapters have, every kind of chart included: nothing may be reported.
const SOUND = {
  "book.toml": TOML,
  "src/SUMMARY.md":
    "# Summary\n\n[First](first.md)\n\n- [Second](second.md)\n- [A draft]()\n- [Third](third.md)\n",
  "src/first.md": "# First\n\nText only.\n",
  "src/second.md": `# Second

Only this chapter names the quokka.

![a test chart](chart.svg)

<object data="chart.svg" type="image/svg+xml" aria-label="a test chart" style="width: 100%"></object>

<svg viewBox="0 0 800 400" style="width: 100%"><title>a test chart</title><rect width="800" height="400"/></svg>

\`\`\`rust
fn main() {}
\`\`\`

Prose may mention \`{{#include}}\` without an argument: that is not an include.
`,
  "src/third.md": "# Third\n",
  "src/chart.svg": CHART,
};
const SEARCH = { word: "quokka", page: "second.html" };
// A chapter per planted defect: [name, Markdown, what must be reported on the chapter,
// or as [where, what] elsewhere]. Search is turned off in book.toml.
// prettier-ignore
const PLANTED = [
  ["first", '# First\n\n<script>addEventListener("DOMContentLoaded", () => document.querySelectorAll("a[rel~=next]").forEach((a) => (a.href = "third.html")));</script>\n',
    ["reader: next chapter", /next-chapter link led to third\.html, not to second\.html/], ["reader: search", /no search box/]],
  ["second", "# Second\n\nNothing wrong here.\n"],
  ["third", "# Third\n\n<script>console.error('planted');</script>\n", /^console error: planted/],
  ["exception", "# Exception\n\n<script>throw new Error('planted');</script>\n", /^uncaught exception: .*planted/],
  // Chromium refuses port 1 outright: a request that fails without any network.
  ["request-failed", '# Request failed\n\n<img src="http://127.0.0.1:1/chart.svg" alt="a chart">\n', /^request failed: http:\/\/127\.0\.0\.1:1\/chart\.svg/],
  ["not-found", "# Not found\n\n![a chart](missing-chart.svg)\n", /^HTTP 404 for missing-chart\.svg/, /^image did not load: missing-chart\.svg/],
  ["zero-size", '# Zero size\n\n<img src="chart.svg" alt="a chart" height="0">\n', /^image renders at zero size/],
  ["object", '# Object\n\n<object data="missing-timeline.svg" type="image/svg+xml" aria-label="a timeline"></object>\n', /^object did not load an SVG: missing-timeline\.svg/],
  ["empty-code", "# Empty code\n\n```rust\n```\n", /^empty code block/],
  ["include", "# Include\n\n```rust\n{{#include ../no-such-file.rs}}\n```\n", /^unresolved \{\{#include \.\.\/no-such-file\.rs\}\}/, ["mdbook", /ERROR.*no-such-file\.rs/]],
  ["no-heading", "Text without a heading.\n", /^no <h1>/],
  ["absolute-link", '# Absolute link\n\n<img src="/chart.svg" alt="a chart">\n\n[back](/first.html)\n', /^absolute link <a href="\/first\.html">/, /^HTTP 404 for http:\/\/127\.0\.0\.1:\d+\/chart\.svg/],
  ["narrow-chart", '# Narrow\n\n<img src="chart.svg" alt="a chart" width="300">\n', /^chart chart\.svg is 300 px wide, under 90%/],
  ["wide-chart", '# Wide\n\n<svg width="1200" height="200"><title>wide</title><rect width="1200" height="200"/></svg>\n', /^chart inline <svg> overflows the content column/],
  ["no-alt", '# No alt\n\n![](chart.svg)\n\n<svg viewBox="0 0 800 400" style="width: 100%"><rect width="800" height="400"/></svg>\n',
    /^chart chart\.svg has no text alternative/, /^chart inline <svg> has no text alternative/],
];
const BROKEN = {
  "book.toml": `${TOML}[output.html.search]\nenable = false\n`,
  "src/SUMMARY.md": `# Summary\n\n${PLANTED.map(([name]) => `- [${name}](${name}.md)\n`).join("")}`,
  "src/chart.svg": CHART,
  ...Object.fromEntries(PLANTED.map(([name, text]) => [`src/${name}.md`, text])),
};

async function selfTest() {
  const missed = [];
  const planted = PLANTED.flatMap(([name, , ...e]) =>
    e.map((x) => (x instanceof RegExp ? [`${name}.html`, x] : x)),
  );
  for (const [name, files, expected] of [
    ["sound", SOUND, []],
    ["broken", BROKEN, planted],
  ]) {
    const dir = path.join(tmp, name);
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    console.log(`\nself-test: the ${name} book${expected.length ? ", where FAIL lines are expected" : ""}`);
    const problems = await checkBook(dir, SEARCH, path.join(dir, "chapter.png"));
    print(problems);
    if (!expected.length && problems.length) missed.push(`the sound book has ${problems.length} problem(s)`);
    if (!expected.length && !fs.existsSync(path.join(dir, "chapter.png"))) missed.push("no screenshot taken");
    for (const [where, pattern] of expected) {
      if (!problems.some((p) => p.where === where && pattern.test(p.text)))
        missed.push(`${where}: ${pattern}`);
    }
  }
  for (const line of missed) console.log(`self-test FAILED, not as expected: ${line}`);
  if (!missed.length)
    console.log(`self-test passed: no problem in the sound book, all ${planted.length} planted ones found`);
  return !missed.length;
}

for (const [signal, code] of Object.entries({ SIGINT: 130, SIGTERM: 143, SIGHUP: 129 })) {
  process.on(signal, () => (console.error(`browser check interrupted by ${signal}`), process.exit(code)));
}
process.on("exit", cleanUp);
main(process.argv.slice(2)).then(process.exit, (e) => (console.error(e), process.exit(1)));
