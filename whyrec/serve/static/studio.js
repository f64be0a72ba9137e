// The rule studio: a step builder whose dropdowns offer only what the graph has, the YAML beside it
// (editable both ways, problems at their line), and a live preview on sample users. It talks only to
// the service that served it; every change to the file is a change to its text, so comments stay.
"use strict";

const $ = (id) => document.getElementById(id);
const csrf = document.querySelector('meta[name="csrf"]').content;
const signedIn = document.querySelector('meta[name="signed-in"]').content === "yes";
const S = { vocab: null, text: "", sha: "", outline: [], rule: null, checkSeq: 0, previewSeq: 0,
            timer: null, ptimer: null, lastPreview: "", problems: [], warnings: [], token: "" };

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
  return e;
}
function option(value, text, selected) {
  const o = el("option", { value }, text); if (selected) o.selected = true; return o;
}
async function api(path, body, write) {
  const headers = { "Content-Type": "application/json" };
  if (write) { if (S.token) headers.Authorization = "Bearer " + S.token; else headers["X-CSRF-Token"] = csrf; }
  const r = await fetch(path, body === undefined ? {} : { method: "POST", headers, body: JSON.stringify(body) });
  const data = await r.json().catch(() => ({ message: "the service sent no JSON", hint: "" }));
  return { ok: r.ok, status: r.status, data };
}
function status(text) { $("status").textContent = text; }

// ---- writing the builder's state back into the YAML text, touching only that list -------------
function yamlItem(text) {
  return /(^[\s"'{[&*!|>%@`#-])|(:\s)|(\s#)|(:$)/.test(text) ? "'" + text.replace(/'/g, "''") + "'" : text;
}
function replaceList(key, items) {
  const r = selected(); if (!r || S.stale) return;  // positions from an older text: never write with them
  const lines = S.text.split("\n");
  const part = r.parts[key];
  const idLine = lines[r.line - 1] || "";
  const keyIndent = " ".repeat(idLine.search(/\S/) + 2);
  let itemIndent = keyIndent + "  ";
  const block = (indent) => items.length ? [keyIndent + key + ":", ...items.map((t) => indent + "- " + yamlItem(t))] : [];
  if (part) {  // replace the key line through its last entry
    const start = part.key_line - 1;
    const end = part.flow ? start : Math.max(...part.lines) - 1;
    if (!part.flow && part.lines.length) itemIndent = " ".repeat((lines[part.lines[0] - 1] || "").search(/\S/));
    lines.splice(start, end - start + 1, ...block(itemIndent));
  } else if (items.length) {  // a new list goes right after the path
    const after = r.parts.path ? Math.max(r.parts.path.key_line, ...r.parts.path.lines) : r.line;
    lines.splice(after, 0, ...block(itemIndent));
  }
  setText(lines.join("\n"));
}
function writeSteps(steps) {
  replaceList("path", steps.map((s) => [s.subject, s.relation, s.object].join(" ") + (s.value ? " as " + s.value : "")));
}
function writeConds(conds) {
  replaceList("when", conds.map((c) => c.not || c.raw || `${c.left} ${c.op} ${c.right}`));
}
function addRule() {
  // a rule that loads, to be reshaped with the builder's dropdowns
  if (S.stale) return;
  let n = 1;
  while (S.outline.some((r) => r.id === `new-rule-${n}`)) n++;
  S.rule = `new-rule-${n}`;
  const text = S.text.replace(/\s*$/, "\n");
  setText(text + `\n- id: ${S.rule}\n  says:\n    - "You bought {product}, and shoppers who bought it also buy {item}."\n` +
          "  path:\n    - user purchased product\n    - product also_bought item\n");
}
function addExpect(user, item) {
  const r = selected(); if (!r || S.stale) return;
  const lines = S.text.split("\n");
  const entry = `{user: ${user}, item: ${item}, match: yes}`;
  const part = r.parts.expect;
  if (part && !part.flow) {
    const at = Math.max(...part.lines);
    const indent = " ".repeat((lines[at - 1] || "").search(/\S/));
    lines.splice(at, 0, indent + "- " + entry);
  } else {
    const next = S.outline[S.outline.indexOf(r) + 1];
    let at = next ? next.line - 1 : lines.length;
    while (at > r.line && /^\s*(#.*)?$/.test(lines[at - 1] || "")) at--;  // before blank lines and comments
    const keyIndent = " ".repeat((lines[r.line - 1] || "").search(/\S/) + 2);
    lines.splice(at, 0, keyIndent + "expect:", keyIndent + "  - " + entry);
  }
  setText(lines.join("\n"));
}

// ---- the editor: text, gutter, problems at their lines -----------------------------------------
function setText(text) { $("yaml").value = text; onEdit(); }
function onEdit() {
  S.text = $("yaml").value;
  drawGutter();
  clearTimeout(S.timer);
  S.timer = setTimeout(check, 250);
}
function drawGutter() {
  const n = S.text.split("\n").length;
  const bad = new Map(S.problems.map((p) => [p.line, p]));
  const warn = new Map(S.warnings.map((p) => [p.line, p]));
  const r = selected();
  const g = $("gutter"); g.replaceChildren();
  for (let k = 1; k <= n; k++) {
    const p = bad.get(k) || warn.get(k);
    g.append(el("div", { class: bad.has(k) ? "bad" : warn.has(k) ? "warn" : r && k === r.line ? "here" : "",
                         title: p ? `${p.code} ${p.message}` : null, "data-line": k }, String(k)));
  }
  g.scrollTop = $("yaml").scrollTop;
}
function goTo(line) {
  const ta = $("yaml");
  const lines = ta.value.split("\n");
  const pos = lines.slice(0, line - 1).reduce((a, l) => a + l.length + 1, 0);
  ta.focus(); ta.setSelectionRange(pos, pos + (lines[line - 1] || "").length);
  ta.scrollTop = Math.max(0, (line - 5) * parseFloat(getComputedStyle(ta).lineHeight));
}
function listProblems(box, items) {
  box.replaceChildren(...items.map((p) => el("li", { class: p.severity === "warning" ? "warning" : "", "data-line": p.line },
    el("a", { onclick: () => goTo(p.line) }, `line ${p.line}`), `: ${p.code} ${p.message}`,
    p.hint ? el("span", { class: "hint" }, p.hint) : null)));
}

async function check() {
  const seq = ++S.checkSeq;
  clearTimeout(S.ptimer);  // a preview asked for before this edit would preview the old text
  const res = await api("/api/rules/check", { yaml: S.text });
  if (seq !== S.checkSeq) return;  // a newer keystroke's check is on its way
  if (!res.ok) { S.problems = [{ line: 1, code: res.data.code, message: res.data.message, hint: res.data.hint }]; }
  else {
    S.problems = res.data.problems; S.warnings = res.data.warnings;
    S.stale = !res.data.rules.length && S.text.trim() !== "";  // the YAML does not parse: keep the old list, write nothing
    if (!S.stale) S.outline = res.data.rules;
  }
  listProblems($("problems"), [...S.problems, ...S.warnings]);
  drawRules(); drawGutter(); drawBuilder();
  status(S.problems.length ? `${S.problems.length} problem(s)` : S.warnings.length ? `${S.warnings.length} warning(s)` : "no problems");
  const ok = res.ok && res.data.valid.includes(S.rule);
  if (ok && S.text + S.rule !== S.lastPreview) { clearTimeout(S.ptimer); S.ptimer = setTimeout(preview, 200); }
}
function drawRules() {
  const sel = $("rule");
  if (!S.outline.some((r) => r.id === S.rule)) S.rule = S.outline.length ? S.outline[0].id : null;
  sel.replaceChildren(...S.outline.map((r) => option(r.id, `${r.id} (line ${r.line})`, r.id === S.rule)));
}

// ---- the preview -------------------------------------------------------------------------------
async function preview() {
  if (S.problems.length) return;  // the file as it is now does not load: nothing to fire
  const seq = ++S.previewSeq;
  S.lastPreview = S.text + S.rule;
  $("preview-what").textContent = `of ${S.rule} on sample users…`;
  const res = await api("/api/rules/preview", { yaml: S.text, rule: S.rule });
  if (seq !== S.previewSeq) return;
  const body = $("matches").tBodies[0];
  if (!res.ok) {
    $("stats").textContent = res.data.message; body.replaceChildren();
    listProblems($("warnings"), res.data.problems || []);
    return;
  }
  const d = res.data;
  $("preview-what").textContent = `of ${d.rule}: fires for ${d.sample.fired} of ${d.sample.users.length} sample users (${d.seconds} s)`;
  $("stats").replaceChildren(el("b", {}, "This version "), d.stats.words, el("br"),
    el("b", {}, "Saved version "), d.saved ? d.saved.words : "(not in the saved file)");
  listProblems($("warnings"), d.warnings);
  body.replaceChildren(...d.matches.map((m) => el("tr", {},
    el("td", { "data-label": "user" }, m.user),
    el("td", { "data-label": "item" }, m.item_label, el("br"), el("span", { class: "muted" }, `${m.item} · fires on ${m.items}${m.items >= d.sample.tried_per_user ? "+" : ""} item(s)`)),
    el("td", { class: "chain", "data-label": "chain" }, m.facts.map((f) =>
      el("span", {}, `${f.subject_label} → ${f.relation} → ${f.object_label}`))),
    el("td", { "data-label": "template sentence" }, sentence(m.template)),
    el("td", { "data-label": "model sentence" }, m.model ? sentence(m.model) : el("span", { class: "muted" }, "no model loaded"),
      m.dropped.length ? el("span", { class: "dropped" }, "⚠ the model leaves out: " + m.dropped.join("; ")) : null),
    el("td", {}, el("button", { type: "button", class: "small", title: "add this pair as an expect example",
                                onclick: () => addExpect(m.user, m.item) }, "+ expect")))));
}
function sentence(s) {
  return [el("span", { class: "verdict " + (s.ok ? "ok" : "no"), title: s.ok ? "every claim checked against the chain"
    : s.problems.join("; ") }, s.ok ? "✓" : "✗"), s.text,
    s.ok ? null : el("span", { class: "dropped" }, s.problems.join("; "))];
}

// ---- saving ------------------------------------------------------------------------------------
function drawDiff(diff) {
  $("diff").replaceChildren(...diff.split("\n").map((l) => el("div", { class: l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : "" }, l || " ")));
}
async function save(dry) {
  if (!signedIn && !S.token) { $("signin").classList.remove("hidden"); return; }
  const res = await api("/api/rules/save", { yaml: S.text, base: S.sha, dry_run: dry }, true);
  $("savebox").classList.remove("hidden");
  const items = res.ok ? [] : [{ line: 0, code: res.data.code, message: res.data.message, hint: res.data.hint },
    ...(res.data.problems || []), ...(res.data.failed || []).map((f) => ({ line: f.line, code: f.code, message: `${f.rule} ${f.user} → ${f.item}: ${f.message}` }))];
  listProblems($("save-problems"), items);
  drawDiff((res.data && res.data.diff) || "");
  $("save-go").disabled = !res.ok;
  if (res.ok && !dry) {
    S.sha = res.data.sha; S.lastPreview = "";
    status(`saved (${res.data.rules} rules)`);
    $("savebox").classList.add("hidden");
    check();
  } else if (res.ok) status(res.data.diff ? "check the changes, then save" : "nothing changed");
}
async function signIn() {
  const res = await api("/studio/login", { token: $("token").value });
  if (res.ok) location.reload(); else $("signin-msg").textContent = res.data.message;
}

async function start() {
  const [vocab, file] = await Promise.all([api("/api/vocab"), api("/api/rules/file")]);
  if (!vocab.ok || !file.ok) { status("cannot reach the service"); return; }
  S.vocab = vocab.data; S.sha = file.data.sha;
  $("file").textContent = file.data.path;
  $("yaml").value = file.data.yaml;
  $("yaml").addEventListener("input", onEdit);
  $("yaml").addEventListener("scroll", () => { $("gutter").scrollTop = $("yaml").scrollTop; });
  $("yaml").addEventListener("keydown", (e) => {  // Tab indents with spaces: a tab is not allowed in YAML
    if (e.key !== "Tab") return;
    e.preventDefault(); document.execCommand("insertText", false, "  ");
  });
  $("rule").addEventListener("change", (e) => { S.rule = e.target.value; drawGutter(); drawBuilder(); check(); goTo(selected().line); });
  $("add-step").addEventListener("click", () => { const { steps } = state(); writeSteps([...steps, { subject: steps.length ? steps[steps.length - 1].object : "user", relation: "", object: "", value: "" }]); });
  $("add-cond").addEventListener("click", () => { const { conds } = state(); writeConds([...conds, { left: "item", op: "!=", right: "\"\"" }]); });
  $("add-rule").addEventListener("click", addRule);
  $("save").addEventListener("click", () => save(true));
  $("save-go").addEventListener("click", () => save(false));
  $("save-cancel").addEventListener("click", () => $("savebox").classList.add("hidden"));
  $("signin-go").addEventListener("click", signIn);
  S.text = file.data.yaml;
  drawGutter();
  await check();
}
document.addEventListener("DOMContentLoaded", start);
