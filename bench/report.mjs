// The one table: every figure with its budget and whether it is within; the machine and versions it
// was measured on; and BENCHMARKS.md, whose generated part sits between two markers so that the
// hand-written analysis around it survives every run.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, homedir, totalmem } from 'node:os';
import { join } from 'node:path';

export const BEGIN = '<!-- bench:begin -->';
export const END = '<!-- bench:end -->';

/** A budget: `figure` must be at most (`max`) or at least (`min`) the limit. */
export const atMost = (limit, text) => ({ ok: (figure) => figure <= limit, text });
export const atLeast = (limit, text) => ({ ok: (figure) => figure >= limit, text });

export const ms = (value) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
export const times = (ratio) => `${ratio.toFixed(2)}×`;
export const count = (n) => Math.round(n).toLocaleString('en-US');

/** Collects rows as the sections finish: area, what, the figure's text, its budget, its value. */
export class Table {
  rows = [];

  add(area, what, text, budget, value) {
    const verdict = budget ? (budget.ok(value) ? 'within' : '**over**') : '';
    this.rows.push({ area, what, text, budget: budget?.text ?? '', verdict });
  }

  /** A section that failed: the table says so, and the run exits non-zero at the end. */
  failed(area, error) {
    const message = String(error.message ?? error).split('\n')[0];
    const text = message.length > 160 ? `${message.slice(0, 160)}…` : message;
    this.rows.push({ area, what: 'failed', text: `\`${text}\``, budget: '', verdict: '**failed**' });
  }

  get failures() {
    return this.rows.filter((row) => row.verdict === '**failed**').length;
  }

  markdown() {
    const escape = (text) => String(text).replaceAll('|', '\\|');
    const lines = ['| Area | Measure | Figure | Budget | Verdict |', '|---|---|---|---|---|'];
    for (const row of this.rows) {
      lines.push(`| ${[row.area, row.what, row.text, row.budget, row.verdict].map(escape).join(' | ')} |`);
    }
    return lines.join('\n');
  }
}

function quiet(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
  } catch (error) {
    // wrk -v prints its version and exits 1.
    return `${error.stdout ?? ''}`.trim() || 'unknown';
  }
}

function lockedVersion(root, crate) {
  const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8');
  return new RegExp(`name = "${crate}"\\nversion = "([^"]+)"`).exec(lock)?.[1] ?? 'unknown';
}

/** The SQLite the server bundles: the version in libsqlite3-sys' own copy of sqlite3.h. */
function sqliteVersion(root) {
  const crate = `libsqlite3-sys-${lockedVersion(root, 'libsqlite3-sys')}`;
  const registry = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'registry', 'src');
  for (const index of existsSync(registry) ? readdirSync(registry) : []) {
    const header = join(registry, index, crate, 'sqlite3', 'sqlite3.h');
    if (existsSync(header)) {
      const version = /#define SQLITE_VERSION\s+"([^"]+)"/.exec(readFileSync(header, 'utf8'))?.[1];
      if (version) return `${version} (bundled by ${crate})`;
    }
  }
  return `bundled by ${crate}`;
}

/** Date, machine and versions, as a Markdown list. */
export function environment(root, chromium) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  const commit = quiet('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
  const dirty = quiet('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no']) ? ' with uncommitted changes' : '';
  const lighthouse = JSON.parse(readFileSync(new URL('./node_modules/lighthouse/package.json', import.meta.url), 'utf8')).version;
  const versions = [
    quiet('rustc', ['--version']),
    `leptos ${lockedVersion(root, 'leptos')}`,
    quiet(chromium, ['--version']),
    `node ${process.version}`,
    `Lighthouse ${lighthouse}`,
    quiet('wrk', ['-v']).split('\n')[0].replace(/ Copyright.*/, ''),
    `SQLite ${sqliteVersion(root)}`,
  ];
  return [
    `- Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} on commit ${commit}${dirty}.`,
    `- Machine: ${cpus().length} cores, ${model}, ${Math.round(totalmem() / 2 ** 30)} GiB of memory.`,
    `- Versions: ${versions.join('; ')}.`,
  ].join('\n');
}

/** Writes `block` between the markers of `file` (made with just the markers when missing). */
export function writeBetweenMarkers(file, block) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${file} lacks the markers ${BEGIN} … ${END}`);
  writeFileSync(file, `${text.slice(0, begin + BEGIN.length)}\n${block}\n${text.slice(end)}`);
}
