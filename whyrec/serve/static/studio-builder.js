// The rule studio's step builder: dropdowns that offer only what the graph links, condition fields
// typed by the value. Loaded before studio.js, whose globals (S, $, el, option, state, writeSteps,
// writeConds) it uses once the page has started.
"use strict";

// ---- the vocabulary: which types each relation links, which values each type carries --------
const V = {
  links(rel) { return S.vocab.links.filter((l) => l.relation === rel); },
  relations() { return S.vocab.relations; },
  rel(name) { return S.vocab.relations.find((r) => r.name === name); },
  nodeVar(type) { return (S.vocab.types[type] || {}).var || type.toLowerCase(); },
};

function typesOf(steps) {
  // variable -> the types every step it is in allows (the server's linter says when none are left)
  const t = { user: new Set(S.vocab.user_types), item: new Set(S.vocab.item_types) };
  const meet = (v, types) => {
    if (!v || !types.size) return;
    const both = t[v] ? new Set([...t[v]].filter((x) => types.has(x))) : types;
    t[v] = both.size ? both : t[v] || types;
  };
  for (let pass = 0; pass < 3; pass++) {
    for (const s of steps) {
      const rel = V.rel(s.relation);
      if (!rel) continue;
      if (rel.kind === "value") { t[s.object] = new Set(["value:" + s.relation]); continue; }
      meet(s.object, new Set(V.links(s.relation).filter((l) => !t[s.subject] || t[s.subject].has(l.subject)).map((l) => l.object)));
      meet(s.subject, new Set(V.links(s.relation).filter((l) => !t[s.object] || t[s.object].has(l.object)).map((l) => l.subject)));
    }
  }
  return t;
}

// ---- reading the selected rule out of the YAML (the server's outline says where each part sits) --
function parseStep(text) {
  const w = text.trim().split(/\s+/);
  return { subject: w[0] || "", relation: w[1] || "", object: w[2] || "", value: w[3] === "as" ? (w[4] || "") : "" };
}
function condPattern() {
  const ops = S.vocab.operators.map((o) => o.symbol).sort((a, b) => b.length - a.length);
  const alt = ops.map((s) => (/^[a-z]+$/.test(s) ? "\\b" + s + "\\b" : s.replace(/[<>=!]/g, (c) => "\\" + c)));
  return new RegExp("^\\s*(.+?)\\s*(" + alt.join("|") + ")\\s*(.+?)\\s*$");
}
function parseCond(text) {
  if (/^\s*not\s/.test(text)) return { not: text.trim() };
  const m = condPattern().exec(text);
  return m ? { left: m[1], op: m[2], right: m[3] } : { raw: text.trim() };
}
function selected() { return S.outline.find((r) => r.id === S.rule) || null; }

// ---- the builder -----------------------------------------------------------------------------
function state() {
  const r = selected();
  const parts = (r && r.parts) || {};
  return { steps: ((parts.path && parts.path.texts) || []).map(parseStep),
           conds: ((parts.when && parts.when.texts) || []).map(parseCond) };
}

function drawBuilder() {
  const { steps, conds } = state();
  const types = typesOf(steps);
  const box = $("steps"); box.replaceChildren();
  steps.forEach((s, k) => box.append(stepRow(s, k, steps, types)));
  const cbox = $("conds"); cbox.replaceChildren();
  conds.forEach((c, k) => cbox.append(condRow(c, k, steps, conds, types)));
  $("types").textContent = Object.entries(types).filter(([v]) => v)
    .map(([v, ts]) => `${v}: ${[...ts].map((x) => x.replace("value:", "value of ")).join(" or ")}`).join(" · ");
}

function stepRow(s, k, steps, types) {
  const vars = Object.keys(types);
  const subj = el("select", { "aria-label": `step ${k + 1} subject`, "data-step": k, "data-part": "subject" });
  for (const v of new Set(["user", "item", ...vars.filter((v) => !String([...types[v]][0]).startsWith("value:")), s.subject]))
    if (v) subj.append(option(v, v, v === s.subject));
  const have = types[s.subject] || new Set();
  const rel = el("select", { "aria-label": `step ${k + 1} relation`, "data-step": k, "data-part": "relation" });
  rel.append(option("", "relation…", !s.relation));
  for (const r of V.relations()) {
    const fits = r.kind === "value" ? (r.domain || []).some((t) => have.has(t))
      : V.links(r.name).some((l) => have.has(l.subject));
    if (fits || r.name === s.relation) rel.append(option(r.name, r.name + (r.label && r.label !== r.name ? ` (${r.label})` : ""), r.name === s.relation));
  }
  const obj = el("select", { "aria-label": `step ${k + 1} object`, "data-step": k, "data-part": "object" });
  const r = V.rel(s.relation);
  const offered = new Map();
  if (r && r.kind === "value") offered.set(s.relation, `${s.relation} (a value)`);
  else if (r) {
    for (const l of V.links(s.relation).filter((l) => have.size === 0 || have.has(l.subject))) {
      for (const v of vars) if (types[v].has(l.object) && v !== s.subject) offered.set(v, `${v} (${l.object})`);
      const fresh = l.object === (S.vocab.item_types[0] || "Product") && !offered.has("item") ? "item" : V.nodeVar(l.object);
      if (!offered.has(fresh)) offered.set(fresh, `${fresh} (${l.object}, ${l.count} facts)`);
    }
  }
  if (s.object && !offered.has(s.object)) offered.set(s.object, s.object);
  for (const [v, text] of offered) obj.append(option(v, text, v === s.object));
  const as = el("input", { "aria-label": `step ${k + 1} fact name`, placeholder: "as …", value: s.value, size: 4,
                           "data-step": k, "data-part": "value", title: "name the fact to read its values (r.score, r.date)" });
  const x = el("button", { type: "button", class: "x small", "aria-label": `remove step ${k + 1}`,
                           onclick: () => writeSteps(steps.filter((_, j) => j !== k)) }, "×");
  for (const field of [subj, rel, obj, as]) field.addEventListener("change", () => {
    const next = steps.map((t) => ({ ...t }));
    next[k][field.dataset.part] = field.value.trim();
    if (field.dataset.part === "relation") {  // a new relation: keep the object if it still fits, else its first type
      const nr = V.rel(field.value);
      const h = typesOf(next)[next[k].subject] || new Set();
      const fits = nr ? V.links(nr.name).filter((l) => h.size === 0 || h.has(l.subject)) : [];
      const others = typesOf(next.filter((_, j) => j !== k))[next[k].object];
      const keep = others && fits.some((l) => others.has(l.object));
      next[k].object = nr && nr.kind === "value" ? nr.name : keep ? next[k].object
        : fits.length ? V.nodeVar(fits[0].object) : next[k].object;
    }
    writeSteps(next);
  });
  return el("div", { class: "row" }, subj, rel, obj, as, x);
}

function operands(steps, types) {
  // what a condition may read: nodes (by name), their values, values of named facts
  const out = [];
  for (const [v, ts] of Object.entries(types)) {
    const first = String([...ts][0] || "");
    if (first.startsWith("value:")) { out.push(valueOperand(v, S.vocab.values[first.slice(6)])); continue; }
    out.push({ text: v, kind: "node", types: ts });
    for (const [name, info] of Object.entries(S.vocab.values))
      if (info.owners.some((o) => ts.has(o))) out.push(valueOperand(`${v}.${name}`, info));
  }
  for (const s of steps) if (s.value) {
    for (const [name, info] of Object.entries((S.vocab.fact_value_kinds || {})[s.relation] || {}))
      out.push(valueOperand(`${s.value}.${name}`, info));
  }
  return out;
}
function valueOperand(text, info) { return { text, kind: (info && info.kind) || "text", info: info || {} }; }

function condRow(c, k, steps, conds, types) {
  const row = el("div", { class: "row" });
  const x = el("button", { type: "button", class: "x small", "aria-label": `remove condition ${k + 1}`,
                           onclick: () => writeConds(conds.filter((_, j) => j !== k)) }, "×");
  if (c.not || c.raw) {
    row.append(el("input", { value: c.not || c.raw, "aria-label": `condition ${k + 1}`, onchange: (e) => {
      const next = conds.slice(); next[k] = parseCond(e.target.value); writeConds(next); } }), x);
    return row;
  }
  const ops = operands(steps, types);
  const left = el("select", { "aria-label": `condition ${k + 1} left` });
  left.append(option("", "value…", !c.left));
  for (const o of ops) left.append(option(o.text, o.text, o.text === c.left));
  const chosen = ops.find((o) => o.text === c.left) || { kind: "text", info: {} };
  const op = el("select", { "aria-label": `condition ${k + 1} operator` });
  for (const o of S.vocab.operators) if (o.kinds.includes(chosen.kind) || o.symbol === c.op)
    op.append(option(o.symbol, `${o.symbol}  ${o.says}`, o.symbol === c.op));
  const right = rightField(chosen, c, k);
  const update = () => {
    const next = conds.slice();
    const l = ops.find((o) => o.text === left.value) || chosen;
    next[k] = { left: left.value, op: op.value || "==", right: formatRight(l, right.value, op.value) };
    writeConds(next);
  };
  left.addEventListener("change", () => { right.value = ""; update(); });
  op.addEventListener("change", update);
  right.addEventListener("change", update);
  row.append(left, op, right, x);
  return row;
}

function unquote(v) { return v && /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v || ""; }
function rightField(operand, c, k) {
  const label = { "aria-label": `condition ${k + 1} value` };
  const current = unquote(c.right);
  if (operand.kind === "number") {
    const i = el("input", { ...label, type: "number", step: "any", value: current });
    if (operand.info.min !== null && operand.info.min !== undefined) { i.min = operand.info.min; i.max = operand.info.max; }
    i.title = operand.info.min !== undefined ? `values run from ${operand.info.min} to ${operand.info.max}` : "";
    return i;
  }
  if (operand.kind === "date") return el("input", { ...label, type: "date", value: current.slice(0, 10) });
  const known = operand.kind === "node" ? [...operand.types].flatMap((t) => (S.vocab.types[t] || {}).names || [])
    : operand.info.texts || [];
  if (known.length) {
    const s = el("select", label);
    s.append(option("", "choose…", !current));
    for (const n of new Set([...known, ...(current ? [current] : [])])) s.append(option(n, n, n === current));
    return s;
  }
  return el("input", { ...label, type: "text", value: current });
}
function formatRight(operand, value, op) {
  if (operand.kind === "number" && value !== "" && !isNaN(Number(value))) return String(Number(value));
  return JSON.stringify(value);  // texts and dates in double quotes, as the rule format wants
}

