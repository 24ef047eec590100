// Wharf's web UI: one page, hash routes, data from /api/v1 (docs/UI.md).
// Every value from the registry is put into the page as text (textContent, input values), never as markup.
'use strict';

const API = new URL('../api/v1/', location.href);
const PAGE = 50;
let session = null;

// ---- small helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'className') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)) + ' ' + units[i];
}

function when(iso) {
  if (!iso) return h('span', { className: 'muted' }, 'never');
  const t = new Date(iso);
  const s = (Date.now() - t.getTime()) / 1000;
  let text;
  if (s < 60) text = 'just now';
  else if (s < 3600) text = Math.floor(s / 60) + ' min ago';
  else if (s < 86400) text = Math.floor(s / 3600) + ' h ago';
  else if (s < 86400 * 60) text = Math.floor(s / 86400) + ' days ago';
  else text = t.toISOString().slice(0, 10);
  return h('time', { datetime: iso, title: t.toISOString() }, text);
}

function duration(seconds) {
  if (seconds % 86400 === 0 && seconds > 0) return seconds / 86400 + ' d';
  if (seconds % 3600 === 0 && seconds > 0) return seconds / 3600 + ' h';
  if (seconds % 60 === 0 && seconds > 0) return seconds / 60 + ' min';
  return seconds + ' s';
}

function short(digest) {
  const i = digest.indexOf(':');
  return digest.slice(0, i + 13);
}

function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 3000);
}

function main(...children) {
  const m = document.getElementById('main');
  m.replaceChildren(...children);
  return m;
}

// Bumped by every render: an answer arriving for an earlier page is dropped, so a slow page never replaces a newer one.
let generation = 0;

class Stale extends Error {}

class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

async function api(method, path, params, body) {
  const asked = generation;
  const url = new URL(path, API);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, v);
  }
  const headers = { 'Accept': 'application/json' };
  if (method !== 'GET') {
    if (session && session.csrf) headers['X-CSRF-Token'] = session.csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
  }
  const r = await fetch(url, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await r.json().catch(() => null);
  if (method === 'GET' && asked !== generation) throw new Stale();
  if (!r.ok) {
    const e = data && data.errors && data.errors[0];
    const detail = e && typeof e.detail === 'string' ? e.detail : null;
    throw new ApiError(r.status, e ? e.code : 'UNKNOWN', detail || (e && e.message) || ('HTTP ' + r.status));
  }
  return data;
}

function failure(e) {
  if (e instanceof Stale) return;
  if (e instanceof ApiError && e.status === 401) {
    session.user = null;
    showLogin();
    return;
  }
  main(h('p', { className: 'error', id: 'error' }, e.message || String(e)));
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Without a secure context (plain http to another host) the clipboard API is missing.
    const area = h('textarea', { readonly: true }, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  toast('Copied: ' + text);
}

function pullLine(label, command) {
  const input = h('input', { type: 'text', readonly: true, 'aria-label': label });
  input.value = command;
  return h('div', { className: 'pull' },
    h('span', { className: 'muted' }, label),
    input,
    h('button', { type: 'button', className: 'copy', onclick: () => copy(command) }, 'Copy'));
}

function pager(page, go) {
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = page.offset + page.items.length;
  return h('div', { className: 'pager' },
    h('button', { type: 'button', disabled: page.offset === 0, onclick: () => go(Math.max(0, page.offset - page.limit)) },
      '‹ Previous'),
    h('span', { className: 'muted', id: 'count' }, `${from}–${to} of ${page.total}`),
    h('button', { type: 'button', disabled: to >= page.total, onclick: () => go(page.offset + page.limit) }, 'Next ›'));
}

function table(head, rows) {
  return h('div', { className: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, head.map(c => typeof c === 'string' ? h('th', {}, c) : c))),
    h('tbody', {}, rows)));
}

function route() {
  const raw = location.hash.slice(1) || '/';
  const q = raw.indexOf('?');
  const path = decodeURIComponent(q < 0 ? raw : raw.slice(0, q));
  return { path, params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

function go(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  const s = q.toString();
  location.hash = '#' + path + (s ? '?' + s : '');
}

function repoLink(name) { return '#/r/' + encodeURIComponent(name); }
function imageLink(name, ref) { return '#/m/' + encodeURIComponent(name) + '@' + encodeURIComponent(ref); }

// ---- session and login

function renderWho() {
  const who = document.getElementById('who');
  if (session.user) {
    who.replaceChildren(h('span', { id: 'user' }, session.user),
      h('button', { type: 'button', id: 'logout', onclick: logout }, 'Log out'));
  } else if (session.loginRequired && session.loginAvailable) {
    who.replaceChildren(h('a', { href: '#/login', id: 'login-link' }, 'Log in'));
  } else {
    who.replaceChildren();
  }
}

async function loadSession() {
  session = await api('GET', 'session');
  renderWho();
}

function showLogin(message) {
  document.title = 'Log in · Wharf';
  if (!session.loginAvailable) {
    main(h('p', { className: 'error' }, 'This registry\'s users log in at an external token server; '
      + 'the UI cannot check passwords here.'));
    return;
  }
  const err = h('p', { className: 'error', id: 'login-error' }, message || '');
  const user = h('input', { name: 'username', id: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { name: 'password', id: 'password', type: 'password', autocomplete: 'current-password',
    required: true });
  const form = h('form', { className: 'login', id: 'login-form' },
    h('h1', {}, 'Log in'),
    h('label', {}, 'User name', user),
    h('label', {}, 'Password', pass),
    h('button', { type: 'submit', className: 'primary' }, 'Log in'),
    err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      session = await api('POST', 'session', null, { username: user.value, password: pass.value });
      renderWho();
      if (route().path === '/login') go('/'); else render();
    } catch (e) {
      err.textContent = e.status === 401 ? 'Wrong user name or password.' : e.message;
      pass.value = '';
    }
  });
  main(form);
  user.focus();
}

async function logout() {
  try { await api('DELETE', 'session'); } catch (e) { /* the cookie is dropped either way */ }
  await loadSession();
  go('/');
  render();
}

// ---- repositories

async function renderRepositories(params) {
  document.title = 'Repositories · Wharf';
  const q = params.get('q') || '';
  const sort = params.get('sort') || 'name';
  const namespace = params.get('namespace') || ''; // '' every namespace, '/' top-level names only
  const offset = Number(params.get('offset') || 0);
  const page = await api('GET', 'repositories', { q, sort, namespace, offset, limit: PAGE,
    order: params.get('order') || undefined });
  const search = h('input', { type: 'search', id: 'search', placeholder: 'Search repositories', value: q,
    'aria-label': 'Search repositories' });
  const sortBox = h('select', { id: 'sort', 'aria-label': 'Sort by' },
    [['name', 'Name'], ['pushed', 'Last push'], ['size', 'Size']].map(([v, t]) =>
      h('option', { value: v, selected: v === sort }, t)));
  const nsBox = h('select', { id: 'namespace', 'aria-label': 'Namespace' },
    h('option', { value: '' }, 'All namespaces'),
    Object.entries(page.namespaces).map(([ns, n]) => {
      const value = ns === '' ? '/' : ns;
      return h('option', { value, selected: value === namespace }, (ns === '' ? '(top level)' : ns) + ' (' + n + ')');
    }));
  const apply = (extra) => go('/', Object.assign({ q: search.value.trim(), sort: sortBox.value,
    namespace: nsBox.value }, extra));
  let timer;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => apply({}), 250); });
  sortBox.addEventListener('change', () => apply({}));
  nsBox.addEventListener('change', () => apply({}));
  const rows = [];
  let group = null;
  for (const r of page.items) {
    if (sort === 'name' && !namespace && r.namespace !== group) {
      group = r.namespace;
      rows.push(h('tr', { className: 'group' }, h('td', { colspan: 5 }, group === '' ? '(top level)' : group + '/')));
    }
    rows.push(h('tr', { className: 'repo' },
      h('td', {}, h('a', { href: repoLink(r.name), className: 'repo-link' }, r.name)),
      h('td', { className: 'num' }, r.tags),
      h('td', {}, when(r.lastPush)),
      h('td', { className: 'num' }, bytes(r.bytes)),
      h('td', { className: 'num hide-narrow' }, bytes(r.uniqueBytes))));
  }
  const usageNote = page.usageComputedAt ? h('p', { className: 'muted' }, 'Sizes as of ', when(page.usageComputedAt),
    ' (', h('a', { href: '#/storage' }, 'storage'), ').') : h('p', { className: 'muted' },
    'Sizes appear once storage usage was measured (', h('a', { href: '#/storage' }, 'storage'), ').');
  main(h('h1', {}, 'Repositories'),
    h('div', { className: 'controls' }, search, nsBox, sortBox),
    page.total === 0 ? h('p', { id: 'empty', className: 'muted' }, q ? 'No repository matches.' : 'No repositories yet.')
      : table(['Repository', h('th', { className: 'num' }, 'Tags'), 'Last push', h('th', { className: 'num' }, 'Size'),
        h('th', { className: 'num hide-narrow' }, 'Unique')], rows),
    pager(page, (o) => apply({ offset: o })),
    usageNote);
  if (q) { search.focus(); search.setSelectionRange(q.length, q.length); }
}

// ---- one repository

async function renderRepository(name, params) {
  document.title = name + ' · Wharf';
  const offset = Number(params.get('offset') || 0);
  const q = params.get('q') || '';
  const [repo, tags] = await Promise.all([
    api('GET', 'repository', { name }),
    api('GET', 'tags', { repository: name, offset, limit: PAGE, q, sort: params.get('sort') || 'pushed' })]);
  const host = location.host;
  const search = h('input', { type: 'search', id: 'tag-search', placeholder: 'Search tags', value: q,
    'aria-label': 'Search tags' });
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => go('/r/' + name, { q: search.value.trim() }), 250);
  });
  const rows = tags.items.map(t => h('tr', { className: 'tag', 'data-tag': t.name },
    h('td', {}, h('a', { href: imageLink(name, t.name), className: 'tag-link' }, t.name),
      t.platforms.length ? h('div', {}, t.platforms.map(p => h('span', { className: 'chip' }, p))) : null),
    h('td', { className: 'mono digest hide-narrow' }, h('a', { href: imageLink(name, t.digest) }, short(t.digest))),
    h('td', {}, when(t.pushedAt)),
    h('td', { className: 'num' }, bytes(t.size)),
    h('td', {},
      h('button', { type: 'button', className: 'copy', title: 'Copy docker pull command',
        onclick: () => copy(`docker pull ${host}/${name}:${t.name}`) }, 'Copy pull'),
      repo.may.delete ? h('button', { type: 'button', className: 'danger delete-tag',
        onclick: () => deleteTag(name, t.name) }, 'Delete') : null)));
  const first = tags.items[0];
  main(
    h('p', {}, h('a', { href: '#/' }, '‹ Repositories')),
    h('h1', { id: 'repo-name' }, name),
    h('div', { className: 'cards' },
      h('div', { className: 'card' }, h('div', { className: 'label' }, 'Tags'), h('div', { className: 'value' }, repo.tags)),
      h('div', { className: 'card' }, h('div', { className: 'label' }, 'Last push'),
        h('div', { className: 'value' }, when(repo.lastPush))),
      h('div', { className: 'card' }, h('div', { className: 'label' }, 'Size (shared layers once)'),
        h('div', { className: 'value', id: 'repo-bytes' }, bytes(repo.bytes))),
      h('div', { className: 'card' }, h('div', { className: 'label' }, 'Only here (freed by deleting it)'),
        h('div', { className: 'value', id: 'repo-unique' }, bytes(repo.uniqueBytes)))),
    first ? h('div', { id: 'pull-commands' },
      pullLine('docker', `docker pull ${host}/${name}:${first.name}`),
      pullLine('podman', `podman pull ${host}/${name}:${first.name}`),
      pullLine('by digest', `${host}/${name}@${first.digest}`)) : null,
    h('h2', {}, 'Tags'),
    h('div', { className: 'controls' }, search),
    tags.total === 0 ? h('p', { className: 'muted', id: 'no-tags' }, 'No tags.')
      : table(['Tag', h('th', { className: 'hide-narrow' }, 'Digest'), 'Pushed', h('th', { className: 'num' }, 'Size'), ''],
        rows),
    pager(tags, (o) => go('/r/' + name, { q, offset: o })),
    repo.may.deleteRepository ? h('p', {}, h('button', { type: 'button', className: 'danger', id: 'delete-repository',
      onclick: () => deleteRepository(name) }, 'Delete repository')) : null);
}

async function deleteTag(name, tag) {
  if (!confirm(`Delete tag ${tag} of ${name}? The image stays until nothing else names it and garbage collection runs.`)) return;
  try {
    await api('DELETE', 'tag', { repository: name, tag });
    toast(`Deleted ${name}:${tag}`);
    render();
  } catch (e) { toast(e.message); }
}

async function deleteManifest(name, digest) {
  if (!confirm(`Delete manifest ${digest} and every tag naming it?`)) return;
  try {
    await api('DELETE', 'manifest', { repository: name, digest });
    toast(`Deleted ${name}@${short(digest)}`);
    go('/r/' + name);
  } catch (e) { toast(e.message); }
}

async function deleteRepository(name) {
  if (!confirm(`Delete the whole repository ${name}?`)) return;
  try {
    await api('DELETE', 'repository', { name });
    toast(`Deleted ${name}`);
    go('/');
  } catch (e) { toast(e.message); }
}

// ---- one image

/** An artifact's own type (signature, SBOM, ...); for a plain image, its manifest's media type. */
function artifactKind(m) {
  const t = m.artifactType;
  const image = !t || t === 'application/vnd.oci.image.config.v1+json'
    || t === 'application/vnd.docker.container.image.v1+json';
  return image ? m.mediaType : t;
}

async function renderImage(name, reference) {
  document.title = name + '@' + reference + ' · Wharf';
  const m = await api('GET', 'manifest', { repository: name, reference });
  const host = location.host;
  const parts = [
    h('p', {}, h('a', { href: repoLink(name) }, '‹ ' + name)),
    h('h1', { id: 'image-title' }, name + (m.tags.length ? ':' + m.tags[0] : '@' + short(m.digest))),
    h('div', { className: 'cards' },
      h('div', { className: 'card' }, h('div', { className: 'label' }, 'Digest'),
        h('div', { className: 'value mono digest', id: 'image-digest' }, m.digest)),
      h('div', { className: 'card' }, h('div', { className: 'label' }, 'Type'),
        h('div', { className: 'value mono' }, artifactKind(m))),
      h('div', { className: 'card' }, h('div', { className: 'label' }, 'Size'),
        h('div', { className: 'value' }, bytes(m.totalSize)))),
    m.tags.length ? h('p', {}, 'Tags: ', m.tags.map(t => h('span', { className: 'chip' }, t))) : null,
    pullLine('docker', `docker pull ${host}/${name}${m.tags.length ? ':' + m.tags[0] : '@' + m.digest}`),
    pullLine('podman', `podman pull ${host}/${name}${m.tags.length ? ':' + m.tags[0] : '@' + m.digest}`),
    pullLine('by digest', `${host}/${name}@${m.digest}`),
  ];
  if (m.children.length) {
    parts.push(h('h2', {}, 'Platforms'), table(['Platform', 'Digest', h('th', { className: 'num' }, 'Size')],
      m.children.map(c => h('tr', {},
        h('td', {}, c.platform || h('span', { className: 'muted' }, c.artifactType || 'unknown')),
        h('td', { className: 'mono digest' }, c.stored ? h('a', { href: imageLink(name, c.digest) }, c.digest) : c.digest),
        h('td', { className: 'num' }, bytes(c.size))))));
  }
  if (m.layers.length) {
    parts.push(h('h2', {}, 'Layers'), table(['#', 'Digest', 'Media type', h('th', { className: 'num' }, 'Size')],
      m.layers.map((l, i) => h('tr', { className: 'layer' },
        h('td', {}, i + 1), h('td', { className: 'mono digest' }, l.digest),
        h('td', { className: 'mono hide-narrow' }, l.mediaType), h('td', { className: 'num' }, bytes(l.size))))));
  }
  if (m.history && m.history.length) {
    parts.push(h('h2', {}, 'History'), table(['Created', 'Command'],
      m.history.map(e => h('tr', { className: 'history' },
        h('td', {}, e.created ? when(e.created) : ''),
        h('td', { className: 'mono' }, String(e.created_by || e.comment || '') + (e.empty_layer ? ' (no layer)' : ''))))));
  }
  parts.push(h('h2', {}, 'Referrers'), m.referrers.length === 0 ? h('p', { className: 'muted', id: 'no-referrers' },
    'No signatures, SBOMs or attestations refer to this manifest.') : table(['Artifact type', 'Digest', 'Annotations'],
    m.referrers.map(r => h('tr', { className: 'referrer' },
      h('td', { className: 'mono' }, r.artifactType || r.mediaType),
      h('td', { className: 'mono digest' }, h('a', { href: imageLink(name, r.digest) }, r.digest)),
      h('td', {}, Object.entries(r.annotations || {}).map(([k, v]) => h('div', { className: 'mono' }, k + ': ' + v)))))));
  if (Object.keys(m.annotations || {}).length) {
    parts.push(h('h2', {}, 'Annotations'), table(['Key', 'Value'], Object.entries(m.annotations).map(([k, v]) =>
      h('tr', { className: 'annotation' }, h('td', { className: 'mono' }, k), h('td', {}, v)))));
  }
  if (m.config) parts.push(h('h2', {}, 'Config'), h('pre', { id: 'config' }, JSON.stringify(m.config, null, 2)));
  parts.push(h('h2', {}, 'Manifest'), h('pre', { id: 'manifest' }, JSON.stringify(m.manifest, null, 2)));
  if (m.may.delete) {
    parts.push(h('p', {}, h('button', { type: 'button', className: 'danger', id: 'delete-manifest',
      onclick: () => deleteManifest(name, m.digest) }, 'Delete manifest')));
  }
  main(...parts);
}

// ---- storage and garbage collection

async function renderStorage(params) {
  document.title = 'Storage · Wharf';
  const offset = Number(params.get('offset') || 0);
  const sort = params.get('sort') || 'size';
  // The collection's state first: a collection marks the usage out of date before it is reported finished, so a
  // usage asked for after that report is the new measurement. Asked for together, the page could show a finished
  // collection beside the usage from before it, and stop refreshing.
  const gc = await api('GET', 'gc');
  const usage = await api('GET', 'usage', { offset, limit: PAGE, sort });
  const parts = [h('h1', {}, 'Storage')];
  if (usage.totals) {
    const t = usage.totals;
    parts.push(h('div', { className: 'cards' },
      h('div', { className: 'card' }, h('div', { className: 'label' }, 'Stored'),
        h('div', { className: 'value', id: 'stored-bytes' }, bytes(t.storedBytes)),
        h('div', { className: 'muted' }, t.storedBlobs + ' blobs')),
      h('div', { className: 'card' }, h('div', { className: 'label' }, 'Referenced'),
        h('div', { className: 'value' }, bytes(t.referencedBytes)),
        h('div', { className: 'muted' }, t.repositories + ' repositories')),
      h('div', { className: 'card' }, h('div', { className: 'label' }, 'Unreferenced (next GC can free)'),
        h('div', { className: 'value', id: 'unreferenced-bytes' }, bytes(t.unreferencedBytes)))));
  }
  parts.push(gcPanel(gc));
  const sortBox = h('select', { id: 'usage-sort', 'aria-label': 'Sort by' },
    [['size', 'Size'], ['unique', 'Unique'], ['name', 'Name']].map(([v, t]) => h('option', { value: v, selected: v === sort }, t)));
  sortBox.addEventListener('change', () => go('/storage', { sort: sortBox.value }));
  parts.push(h('h2', {}, 'By repository'),
    h('div', { className: 'controls' }, sortBox,
      h('span', { className: 'muted', id: 'usage-time' }, 'Measured ', when(usage.computedAt), ' in ', usage.tookMs, ' ms'),
      h('button', { type: 'button', id: 'measure', onclick: async (ev) => {
        ev.target.disabled = true;
        try { await api('POST', 'usage', {}); render(); } catch (e) { toast(e.message); ev.target.disabled = false; }
      } }, 'Measure again')),
    table(['Repository', h('th', { className: 'num' }, 'Size'), h('th', { className: 'num' }, 'Unique'),
      h('th', { className: 'num hide-narrow' }, 'Blobs')],
      usage.items.map(u => h('tr', { className: 'usage', 'data-repository': u.name },
        h('td', {}, h('a', { href: repoLink(u.name) }, u.name)),
        h('td', { className: 'num usage-bytes' }, bytes(u.bytes)),
        h('td', { className: 'num usage-unique' }, bytes(u.uniqueBytes)),
        h('td', { className: 'num hide-narrow' }, u.blobs)))),
    pager(usage, (o) => go('/storage', { sort, offset: o })),
    h('p', { className: 'muted' }, 'A layer shared by several repositories counts in each one\'s size, once; ',
      '"unique" is what only that repository references: what deleting it and collecting garbage would free.'));
  main(...parts);
  if (gc.running) setTimeout(() => { if (route().path === '/storage') render(); }, 1000);
}

function gcPanel(gc) {
  const panel = h('section', { className: 'gc', id: 'gc' }, h('h2', {}, 'Garbage collection'));
  if (gc.running) {
    panel.append(h('p', { id: 'gc-running' }, 'Running since ', when(gc.running.startedAt), ' (started by ',
      gc.running.startedBy, gc.running.dryRun ? ', dry run' : '', ')…'));
  }
  if (gc.last) {
    panel.append(h('p', { id: 'gc-last' }, 'Last: ', when(gc.last.finishedAt), ' by ', gc.last.startedBy,
      gc.last.dryRun ? ' (dry run)' : '', ': ', h('span', { className: gc.last.failed ? 'error' : '' }, gc.last.summary),
      gc.last.failed ? '' : ' — ' + bytes(gc.last.bytesFreed) + (gc.last.dryRun ? ' freeable' : ' freed')));
  } else {
    panel.append(h('p', { className: 'muted' }, 'No garbage collection recorded yet.'));
  }
  if (gc.planned) {
    panel.append(h('p', { id: 'gc-planned' }, 'Planned for ', h('time', { datetime: gc.planned.at },
      new Date(gc.planned.at).toLocaleString()), ' by ', gc.planned.by, gc.planned.dryRun ? ' (dry run) ' : ' ',
      gc.mayRun ? h('button', { type: 'button', onclick: async () => {
        try { await api('DELETE', 'gc/plan'); render(); } catch (e) { toast(e.message); }
      } }, 'Cancel') : null));
  }
  if (!gc.mayRun) return panel;
  const dry = h('input', { type: 'checkbox', id: 'gc-dry' });
  const untagged = h('input', { type: 'checkbox', id: 'gc-untagged', checked: gc.deleteUntaggedDefault });
  const at = h('input', { type: 'datetime-local', id: 'gc-at', 'aria-label': 'Run at' });
  const start = async (body) => {
    try { await api('POST', 'gc', null, body); render(); } catch (e) { toast(e.message); }
  };
  panel.append(
    h('div', { className: 'row' },
      h('label', {}, dry, ' dry run (only report)'),
      h('label', {}, untagged, ' delete untagged manifests')),
    h('div', { className: 'row' },
      h('button', { type: 'button', className: 'primary', id: 'gc-run', disabled: !!gc.running,
        onclick: () => start({ dryRun: dry.checked, deleteUntagged: untagged.checked }) }, 'Run now'),
      at,
      h('button', { type: 'button', id: 'gc-plan', onclick: () => {
        if (!at.value) { toast('Choose a time first'); return; }
        start({ dryRun: dry.checked, deleteUntagged: untagged.checked, at: new Date(at.value).toISOString() });
      } }, 'Schedule')),
    h('p', { className: 'muted' }, 'Runs online: pushes and pulls continue. Content newer than the grace period (',
      duration(gc.gracePeriodSeconds), ') is kept.'));
  return panel;
}

// ---- routing

async function render() {
  generation++;
  const { path, params } = route();
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', (a.dataset.nav === 'storage') === path.startsWith('/storage'));
  }
  try {
    if (path === '/login') return showLogin();
    if (session.loginRequired && !session.user && session.loginAvailable) return showLogin();
    if (path === '/' || path === '') return await renderRepositories(params);
    if (path === '/storage') return await renderStorage(params);
    if (path.startsWith('/r/')) return await renderRepository(path.slice(3), params);
    if (path.startsWith('/m/')) {
      const rest = path.slice(3);
      const at = rest.lastIndexOf('@');
      return await renderImage(rest.slice(0, at), rest.slice(at + 1));
    }
    main(h('p', { className: 'error' }, 'No such page.'));
  } catch (e) {
    failure(e);
  }
}

window.addEventListener('hashchange', render);
loadSession().then(render).catch(failure);
