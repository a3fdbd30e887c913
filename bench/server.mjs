// The real server binary on a free loopback port with a throwaway SQLite database and demo content,
// and a small client of its JSON API: signing in, reading and saving the settings document.

import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { killProcess, onCleanup, tempDir } from './cleanup.mjs';

export const DEMO_PASSWORD = 'demo-password';
export const ADMIN = 'admin';
export const USER = 'anna';

/** A throwaway copy of the built app, for extra files such as the static baseline page. */
export function copyDist(dist) {
  const copy = tempDir('dist');
  cpSync(dist, copy.dir, { recursive: true });
  return copy;
}

/**
 * Starts `mail-services serve --demo` pinned to the CPU list `cpus` (taskset), on 127.0.0.1 port 0
 * (the server picks a free port and prints its URL). Resolves once the URL is printed.
 */
export async function startServer({ bin, dist, cpus = '0' }) {
  const data = tempDir('data');
  const args = ['-c', cpus, bin, 'serve', '--listen', '127.0.0.1:0', '--data-dir', data.dir, '--dist', dist, '--demo'];
  // taskset execs the server, so the child's pid is the server's (for its RSS in /proc).
  const child = spawn('taskset', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  const killNow = onCleanup(() => killProcess(child.pid));
  const stderr = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 40) stderr.shift();
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server printed no URL within 60 s')), 60_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^Mail services is running at (\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('error', (error) => reject(new Error(`cannot start ${bin}: ${error.message}`)));
    exited.then(({ code, signal }) => reject(new Error(`the server exited (${code ?? signal}) before printing its URL`)));
  }).catch((error) => {
    killNow();
    data.remove();
    throw new Error(`${error.message}\n${stderr.join('\n')}`);
  });

  const origin = url.replace(/\/$/, '');
  return {
    origin,
    pid: child.pid,
    api: new Api(origin),
    /** SIGTERM (graceful), SIGKILL after 5 s; then the data directory goes. */
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      killNow();
      data.remove();
    },
  };
}

/**
 * A server that negotiates compression (it says `Vary: Accept-Encoding`) may make its compressed
 * copies in the background after start-up and serve files as they are until then: waits (up to
 * 60 s) until `path` comes in each of brotli and gzip when asked for that one alone, so that every
 * load is measured as users get it. Resolves to the encodings the server offers ("none" when it
 * does not compress).
 */
export async function settledEncodings(origin, path) {
  const deadline = Date.now() + 60_000;
  const offered = [];
  for (const encoding of ['br', 'gzip']) {
    for (;;) {
      const response = await fetch(origin + path, { headers: { 'Accept-Encoding': encoding } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
      if (response.headers.get('content-encoding') === encoding) {
        offered.push(encoding);
        break;
      }
      if (!/accept-encoding/i.test(response.headers.get('vary') ?? '') || Date.now() > deadline) break;
      await new Promise((done) => setTimeout(done, 500));
    }
  }
  return offered.join(', ') || 'none';
}

/** The server's JSON API as a script uses it: `Origin` on state-changing requests, JSON bodies. */
export class Api {
  constructor(origin) {
    this.origin = origin;
  }

  async request(method, path, { cookie, body, headers = {} } = {}) {
    const response = await fetch(this.origin + path, {
      method,
      headers: {
        ...(cookie ? { Cookie: cookie } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json', Origin: this.origin }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  }

  async expectOk(method, path, options) {
    const response = await this.request(method, path, options);
    if (response.status !== 200) {
      throw new Error(`${method} ${path} answered ${response.status}: ${response.text.slice(0, 500)}`);
    }
    return response;
  }

  /** Signs `login` in; resolves to the session cookie as `name=value`. */
  async signIn(login) {
    const response = await this.expectOk('POST', '/api/session', { body: { login, password: DEMO_PASSWORD } });
    const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.includes('='));
    if (!cookie) throw new Error(`signing in as ${login} set no cookie`);
    return cookie;
  }

  async settings(cookie) {
    const response = await this.expectOk('GET', '/api/admin/settings', { cookie });
    return { document: JSON.parse(response.text), etag: response.headers.get('etag'), text: response.text };
  }

  /** Saves `update` over the version named by `etag`. */
  async saveSettings(cookie, etag, update) {
    const response = await this.expectOk('PUT', '/api/admin/settings', {
      cookie,
      body: update,
      headers: { 'If-Match': etag },
    });
    return JSON.parse(response.text);
  }
}

function endpointAddress({ host, port }) {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The document as a save that changes nothing (the server's `demo::as_update`). */
export function asUpdate(document) {
  return {
    allow_manual_entry: document.allow_manual_entry,
    business_process_sending: document.business_process_sending,
    services: document.services.map((s) =>
      s.kind === 'standard'
        ? { kind: 'standard', id: s.id, hidden: s.hidden }
        : {
            kind: 'corporate',
            id: s.id,
            draft: {
              name: s.name,
              smtp: { address: endpointAddress(s.smtp), security: s.smtp.security },
              imap: { address: endpointAddress(s.imap), security: s.imap.security },
            },
            hidden: s.hidden,
          },
    ),
  };
}

/**
 * Corporate service number `n`, with a unique name and hosts: as an administrator would name it,
 * or `compact` (about 190 bytes in a save instead of 227), so that a document of 10,000 services
 * fits the server's 2 MiB limit on a request body.
 */
function corporateService(n, compact) {
  const id = String(n).padStart(5, '0');
  const [name, smtp, imap] = compact
    ? [`S${n}`, `s${n}.example.com`, `i${n}.example.com`]
    : [`Branch office ${id}`, `smtp.branch${id}.example.com`, `imap.branch${id}.example.com`];
  return {
    kind: 'corporate',
    id: null,
    draft: {
      name,
      smtp: { address: `${smtp}:465`, security: 'tls' },
      imap: { address: `${imap}:993`, security: 'tls' },
    },
    hidden: false,
  };
}

/**
 * Makes the list exactly `total` services long in one PUT as admin: every standard service (they
 * must stay), then the corporate ones already saved, as many as fit, then new "Branch office N"
 * services up to `total` (`compact` ones: see corporateService).
 */
export async function seedServices(api, adminCookie, total, { compact = false } = {}) {
  const { document, etag } = await api.settings(adminCookie);
  const update = asUpdate(document);
  const standard = update.services.filter((s) => s.kind === 'standard');
  if (total < standard.length) throw new Error(`cannot list ${total} services: ${standard.length} are standard`);
  const corporate = update.services.filter((s) => s.kind === 'corporate').slice(0, total - standard.length);
  const names = new Set(corporate.map((s) => s.draft.name));
  for (let n = 1; standard.length + corporate.length < total; n++) {
    const service = corporateService(n, compact);
    if (!names.has(service.draft.name)) corporate.push(service);
  }
  update.services = [...standard, ...corporate];
  return api.saveSettings(adminCookie, etag, update);
}
