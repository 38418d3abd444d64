// The view's page, script and style sheet (assets.hpp). The script builds
// every element with createElement and textContent: nothing from the
// database or the session reaches innerHTML, and the server's
// Content-Security-Policy runs no script but this one.
#include "web/assets.hpp"

namespace fw::web {

const std::string& page_html() {
  static const std::string html = R"HTML(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>fwitter</title><link rel="stylesheet" href="/assets/app.css"><script src="/assets/app.js" defer></script></head>
<body><nav id="nav"></nav><main id="main" aria-live="polite"><p class="muted">Loading...</p></main>
<footer class="muted">Keys: j/k next/previous link, Enter follow, b back, n/p next/previous record,
s session, m models, d diagram, P projector mode.</footer></body></html>
)HTML";
  return html;
}

const std::string& app_css() {
  static const std::string css = R"CSS(
:root { --bg: #fff; --fg: #1a1a1a; --muted: #666; --line: #ddd; --accent: #0072B2; --mark: #E69F00;
        --bad: #D55E00; --good: #009E73; --code: #f4f4f4; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; background: var(--bg); color: var(--fg); }
nav { display: flex; gap: 1em; padding: .6em 1em; border-bottom: 1px solid var(--line); align-items: center; }
nav a, a { color: var(--accent); }
nav .app { font-weight: bold; margin-right: auto; }
main { padding: 1em; max-width: 1200px; }
footer { padding: 1em; font-size: 85%; }
.muted { color: var(--muted); }
pre, code { font-family: ui-monospace, monospace; background: var(--code); }
pre { padding: .5em; overflow-x: auto; margin: .3em 0; }
.item { border-left: 4px solid var(--line); padding: .2em .8em; margin: 1em 0; }
.item.failed { border-color: var(--bad); }
.item.undone { opacity: .6; }
.item.undone .statement { text-decoration: line-through; }
.statement { font-weight: bold; }
.statement::before { content: "> "; color: var(--muted); }
.hint { color: var(--bad); font-weight: bold; }
.sql li { margin: .2em 0; }
.sql .label { color: var(--good); font-weight: bold; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { border: 1px solid var(--line); padding: .15em .5em; text-align: left; vertical-align: top; }
.op-insert { color: var(--good); } .op-delete { color: var(--bad); } .op-update { color: var(--accent); }
a:focus, a.focused { outline: 3px solid var(--mark); outline-offset: 1px; }
.touched { background: var(--mark); color: #000; padding: 0 .3em; margin-right: .4em; }
.diagram img { max-width: 100%; background: #fff; }
.error { color: var(--bad); }
body.projector { font-size: 26px; --bg: #000; --fg: #fff; --muted: #ccc; --line: #888; --accent: #56B4E9;
                 --mark: #E69F00; --bad: #F0E442; --good: #56B4E9; --code: #1a1a1a; }
body.projector pre, body.projector code { font-size: 24px; }
)CSS";
  return css;
}

const std::string& app_js() {
  static const std::string js = R"JS('use strict';
// Every element is made here from text: el('td', {}, value) puts value in a text node.
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
  return e;
}
function shown(v) { return v === null ? 'nil' : typeof v === 'string' ? v : JSON.stringify(v); }
function path(...parts) { return '/' + parts.map(p => encodeURIComponent(String(p))).join('/'); }
function link(text, href, cls) { return el('a', {href: href, class: 'nav-item ' + (cls || '')}, text); }
function recordLink(r) { return link(r.label, path(r.model, r.id)); }
// A foreign key's value as a link to the row it names (links: column -> {model} or {type_column}).
function keyCell(links, column, value, typeOf) {
  const to = links[column];
  if (!to || value === null) return shown(value);
  const model = to.model || typeOf(to.type_column);
  return model ? link(shown(value), path(model, value), 'key') : shown(value);
}
// While the console runs a statement a page is answered busy (after the
// server waited a while for it): asked again until the statement has ended.
async function getJson(url) {
  for (;;) {
    const r = await fetch(url, {credentials: 'same-origin'});
    const body = await r.json();
    const main = document.getElementById('main');
    if (r.status === 503 && body.busy) {
      if (!main.querySelector('.busy')) main.prepend(el('p', {class: 'muted busy'}, body.error));
      continue;
    }
    for (const b of main.querySelectorAll('.busy')) b.remove();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }
}
function nav() {
  const n = document.getElementById('nav');
  const toggle = el('a', {href: '#', id: 'projector'}, 'Projector');
  toggle.addEventListener('click', e => { e.preventDefault(); setProjector(!document.body.classList.contains('projector')); });
  n.replaceChildren(el('span', {class: 'app'}, 'fwitter view'), link('Session', '/'), link('Models', '/models'),
                    link('Diagram', '/diagram'), toggle);
}
function setProjector(on) {
  document.body.classList.toggle('projector', on);
  try { localStorage.setItem('fw-projector', on ? '1' : ''); } catch (e) {}
}
function table(columns, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, ...columns.map(c => el('th', {}, c)))),
            el('tbody', {}, ...rows.map(r => el('tr', {}, ...r.map(v => el('td', {}, v))))));
}
function queries(list) {
  return el('ul', {class: 'sql'}, ...list.map(q => el('li', {},
    el('span', {class: 'label'}, q.label), ' (' + q.ms.toFixed(1) + 'ms) ', el('code', {}, q.sql),
    q.binds.length ? ' ' + JSON.stringify(q.binds) : '')));
}
function changes(list) {
  const rows = list.map(c => {
    const cols = Object.keys(Object.assign({}, c.before, c.after));
    const before = cols.map(k => k + ': ' + (k in c.before ? shown(c.before[k]) : '')).join(', ');
    const after = cols.map(k => k + ': ' + (k in c.after ? shown(c.after[k]) : '')).join(', ');
    return [c.table, el('span', {class: 'op-' + c.op}, c.op), c.op === 'insert' ? '' : before, c.op === 'delete' ? '' : after];
  });
  return table(['table', 'change', 'before', 'after'], rows);
}
function itemElement(item) {
  const e = el('section', {class: 'item' + (item.failed ? ' failed' : '') + (item.undone_by || item.rolled_back_by ? ' undone' : ''),
                           id: 'item-' + item.n, 'data-n': item.n});
  if (item.comments && item.comments.trim()) e.append(el('pre', {class: 'comments muted'}, item.comments.trim()));
  e.append(el('pre', {class: 'statement'}, item.statement));
  if (item.output) e.append(el('pre', {class: 'output'}, item.output));
  if (item.hint) e.append(el('p', {class: 'hint'}, item.hint));
  if (item.undone_by) e.append(el('p', {class: 'muted'}, 'Undone by statement ' + item.undone_by + '.'));
  if (item.rolled_back_by) e.append(el('p', {class: 'muted'}, 'Rolled back by statement ' + item.rolled_back_by + '.'));
  if (item.reverted) e.append(el('p', {}, 'Reverted statement ' + item.reverted.join(', ') + ':'));
  if (item.changes && item.changes.length) e.append(el('p', {}, item.changed_rows + ' row(s) changed:'), changes(item.changes));
  const q = el('details', {}, el('summary', {}, item.query_count + ' SQL quer' + (item.query_count === 1 ? 'y' : 'ies') +
                                 (item.ms !== undefined ? ', ' + item.ms.toFixed(1) + 'ms' : '')), queries(item.queries));
  if (item.query_count) { q.open = true; e.append(q); }
  return e;
}
function showItem(list, item) {
  const old = document.getElementById('item-' + item.n);
  const e = itemElement(item);
  if (old) old.replaceWith(e); else { list.append(e); e.scrollIntoView({block: 'nearest'}); }
}
function follow(onItem) {
  const source = new EventSource('/events');
  source.onmessage = m => onItem(JSON.parse(m.data));
  return source;
}
async function sessionPage(main) {
  const list = el('div', {id: 'feed'});
  main.replaceChildren(el('h1', {}, 'This session'), el('p', {class: 'muted', id: 'empty'}, 'Statements appear here as they end.'), list);
  follow(item => { const empty = document.getElementById('empty'); if (empty) empty.remove(); showItem(list, item); });
}
async function modelsPage(main) {
  const d = await getJson('/models.json');
  main.replaceChildren(el('h1', {}, 'Models'), table(['model', 'table', 'rows'],
    d.models.map(m => [link(m.name, path(m.name)), m.table, m.error ? el('span', {class: 'error'}, m.error) : m.count])));
}
async function diagramPage(main) {
  const img = el('img', {src: '/diagram.svg', alt: 'the models and their associations'});
  const touched = el('p', {id: 'touched'});
  main.replaceChildren(el('h1', {}, 'Diagram'), touched, el('div', {class: 'diagram'}, img));
  const refresh = async () => {
    const d = await getJson('/diagram.json');
    touched.replaceChildren('The latest statement touched: ', ...(d.touched.length ? d.touched.map(t => el('span', {class: 'touched'}, t)) : ['nothing']));
    img.src = '/diagram.svg?at=' + Date.now();
  };
  await refresh();
  follow(() => refresh());
}
async function listPage(main, model) {
  const params = new URLSearchParams(location.search);
  const d = await getJson(path(model) + '.json?' + params.toString());
  const sortLink = c => {
    const p = new URLSearchParams(params); p.set('sort', c); p.set('dir', d.sort === c && d.dir === 'asc' ? 'desc' : 'asc'); p.delete('page');
    return link(c + (d.sort === c ? (d.dir === 'asc' ? ' \u25B2' : ' \u25BC') : ''), path(model) + '?' + p.toString(), 'sort');
  };
  const pageLink = (n, text) => { const p = new URLSearchParams(params); p.set('page', n); return link(text, path(model) + '?' + p.toString()); };
  const pages = Math.max(1, Math.ceil(d.total / d.per));
  const rows = d.rows.map(r => r.values.map((v, i) => d.columns[i] === 'id' ? link(shown(v), path(r.model, r.id), 'row')
    : keyCell(d.links, d.columns[i], v, c => r.values[d.columns.indexOf(c)])));
  main.replaceChildren(el('h1', {}, d.model, el('span', {class: 'muted'}, ' (' + d.table + ', ' + d.total + ' rows)')),
    el('table', {id: 'rows'}, el('thead', {}, el('tr', {}, ...d.columns.map(c => el('th', {}, sortLink(c))))),
       el('tbody', {}, ...rows.map(r => el('tr', {}, ...r.map(v => el('td', {}, v)))))),
    el('p', {}, d.page > 1 ? pageLink(d.page - 1, 'previous page') : '', ' page ' + d.page + ' of ' + pages + ' ',
       d.page < pages ? pageLink(d.page + 1, 'next page') : ''),
    el('details', {}, el('summary', {}, 'SQL'), queries(d.queries)));
}
async function recordPage(main, model, id) {
  const d = await getJson(path(model, id) + '.json');
  const assoc = d.associations.map(a => {
    const s = el('section', {class: 'association', 'data-association': a.name});
    const title = el('h3', {}, a.name, el('span', {class: 'muted'}, ' ' + a.kind + (a.target ? ' ' + a.target : '') + (a.through ? ' through ' + a.through : '')));
    s.append(title);
    if (a.error) s.append(el('p', {class: 'error'}, a.error));
    else if ('record' in a) s.append(el('p', {}, a.record ? recordLink(a.record) : 'nil'));
    else {
      s.append(el('p', {}, a.count + ' record' + (a.count === 1 ? '' : 's') + (a.count > a.records.length ? ', the first ' + a.records.length : '')));
      s.append(el('ul', {}, ...a.records.map(r => el('li', {}, recordLink(r)))));
    }
    if (a.queries) s.append(el('details', {}, el('summary', {}, 'SQL'), queries(a.queries)));
    return s;
  });
  const n = Number(d.id);
  main.replaceChildren(el('h1', {}, d.model + ' ' + shown(d.id) + ': ', el('span', {}, d.label)),
    el('p', {}, link('all ' + d.model + ' records', path(d.model)),
       Number.isInteger(n) ? el('span', {}, ' \u00B7 ', link('previous', path(d.model, n - 1), 'prev'), ' \u00B7 ', link('next', path(d.model, n + 1), 'next')) : ''),
    table(['attribute', 'value'], d.attributes.map(a => [a.name, keyCell(d.links, a.name, a.value,
      c => (d.attributes.find(x => x.name === c) || {}).value)])),
    el('h2', {}, 'Associations'), ...assoc);
}
function keys() {
  document.addEventListener('keydown', e => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const links = [...document.querySelectorAll('main a')];
    const at = links.indexOf(document.activeElement);
    const go = sel => { const a = document.querySelector(sel); if (a) location.href = a.href; };
    switch (e.key) {
      case 'j': if (links.length) links[Math.min(at + 1, links.length - 1)].focus(); break;
      case 'k': if (links.length) links[Math.max(at - 1, 0)].focus(); break;
      case 'b': case 'Backspace': history.back(); break;
      case 'n': go('a.next'); break;
      case 'p': go('a.prev'); break;
      case 's': location.href = '/'; break;
      case 'm': location.href = '/models'; break;
      case 'd': location.href = '/diagram'; break;
      case 'P': setProjector(!document.body.classList.contains('projector')); break;
      default: return;
    }
    e.preventDefault();
  });
}
// The number of the session's latest statement (0: none yet).
async function lastStatement() {
  const d = await getJson('/session.json');
  return d.items.reduce((n, item) => Math.max(n, item.n), 0);
}
// A record, list or models page is drawn again after each statement the
// console ends after `seen`: one drawing at a time, and statements that end
// meanwhile drawn once (while one runs, the page waits for it: getJson).
function redrawAfterStatements(main, draw, seen) {
  let drawing = false, again = false;
  const redraw = async () => {
    if (drawing) { again = true; return; }
    drawing = true;
    do {
      again = false;
      try { await draw(); } catch (err) { main.replaceChildren(el('p', {class: 'error'}, String(err.message || err))); }
    } while (again);
    drawing = false;
  };
  follow(item => { if (item.n > seen) { seen = item.n; redraw(); } });
}
async function start() {
  let on = false;
  try { on = localStorage.getItem('fw-projector') === '1'; } catch (e) {}
  if (new URLSearchParams(location.search).get('projector') === '1') on = true;
  setProjector(on);
  nav();
  keys();
  const main = document.getElementById('main');
  const parts = location.pathname.split('/').filter(p => p).map(decodeURIComponent);
  try {
    let draw = null;
    if (parts.length === 0) await sessionPage(main);
    else if (parts.length === 1 && parts[0] === 'models') draw = () => modelsPage(main);
    else if (parts.length === 1 && parts[0] === 'diagram') await diagramPage(main);
    else if (parts.length === 1) draw = () => listPage(main, parts[0]);
    else if (parts.length === 2) draw = () => recordPage(main, parts[0], parts[1]);
    else throw new Error('no such page');
    if (draw) {
      const seen = await lastStatement();
      await draw();
      redrawAfterStatements(main, draw, seen);
    }
    document.body.setAttribute('data-ready', '1');
  } catch (err) {
    main.replaceChildren(el('p', {class: 'error'}, String(err.message || err)));
    document.body.setAttribute('data-ready', 'error');
  }
}
start();
)JS";
  return js;
}

}  // namespace fw::web
