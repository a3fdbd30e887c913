// The HTTP API under load: wrk (Debian) pinned to CPU 1 against the server pinned to CPU 0, 50
// connections; serial saves of the settings document; the server's peak memory.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

import { asUpdate } from './server.mjs';
import { median, percentile } from './stats.mjs';

const run = promisify(execFile);

export const LOAD_CPU = '1';
const CONNECTIONS = 50;

/** "1.23ms" → 1.23 (ms). */
function milliseconds(text) {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) throw new Error(`wrk printed a latency it cannot read: ${text}`);
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
}

/**
 * wrk --latency for `seconds` on `url` with `cookie`: requests/s, p50, p99 (ms). wrk is a closed
 * loop: each connection sends its next request when the last is answered, so flat out the latency
 * is mostly queueing (about connections ÷ throughput). With `pauseMs` each connection pauses that
 * long before each request (paced.lua), which holds the load below what the server could take.
 */
export async function wrk(url, cookie, seconds, { pauseMs } = {}) {
  const args = ['-c', LOAD_CPU, 'wrk', '--latency', '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '5s', '-H', `Cookie: ${cookie}`];
  if (pauseMs !== undefined) args.push('-s', new URL('./paced.lua', import.meta.url).pathname);
  args.push(url);
  const env = { ...process.env, BENCH_PAUSE_MS: String(pauseMs ?? 0) };
  const { stdout } = await run('taskset', args, { timeout: (seconds + 30) * 1000, env });
  const requestsPerSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const latency = (p) => milliseconds(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(stdout)?.[1] ?? '');
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(stdout);
  if (errors) throw new Error(`wrk on ${url} saw errors: ${errors[0]}\n${stdout}`);
  if (!requestsPerSecond) throw new Error(`wrk printed no throughput:\n${stdout}`);
  return { requestsPerSecond, p50: latency(50), p99: latency(99), seconds, connections: CONNECTIONS, pauseMs };
}

/**
 * The latency at about `rate` requests/s: a 3-second try finds how long a request cycle takes
 * besides the pause, then the pause (whole milliseconds, as wrk takes it) is the longest that
 * still lets 50 connections send 5 % more than `rate` a second, the margin for a noisy machine.
 */
export async function wrkAtRate(url, cookie, seconds, rate) {
  const cycle = (CONNECTIONS / (rate * 1.05)) * 1000;
  const trial = await wrk(url, cookie, 3, { pauseMs: Math.floor(cycle) });
  const besidesPause = (CONNECTIONS / trial.requestsPerSecond) * 1000 - Math.floor(cycle);
  return wrk(url, cookie, seconds, { pauseMs: Math.max(0, Math.floor(cycle - besidesPause)) });
}

/**
 * `count` saves one after the other, as an administrator saves: read the document (its ETag), then
 * PUT it back with one service's visibility flipped. Only the PUT is timed.
 */
export async function serialSaves(api, adminCookie, count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const { document, etag } = await api.settings(adminCookie);
    const update = asUpdate(document);
    const last = update.services.at(-1);
    last.hidden = !last.hidden;
    const start = performance.now();
    await api.saveSettings(adminCookie, etag, update);
    times.push(performance.now() - start);
  }
  return { median: median(times), p99: percentile(times, 99), count };
}

/** The server's peak and current resident memory in MB, from /proc. */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { peak: kilobytes('VmHWM') / 1024, current: kilobytes('VmRSS') / 1024 };
}
