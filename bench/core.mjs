// The core crate's divan micro-benchmark of the server field's check (core/benches/parse_server.rs),
// natively: the figure for a typical address.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

const UNITS = { ps: 1e-3, ns: 1, µs: 1e3, us: 1e3, ms: 1e6, s: 1e9 };

/** Runs the benchmark `name` and resolves to its median in ns (and divan's sample count). */
export async function coreBenchmark(root, name = 'typical_address') {
  const { stdout } = await run('cargo', ['bench', '--locked', '-p', 'mail-core', '--bench', 'parse_server', '--', name], {
    cwd: root,
    maxBuffer: 16 << 20,
    timeout: 15 * 60_000,
  });
  // "├─ typical_address  233.8 ns │ 828.2 ns │ 238.6 ns │ 244.5 ns │ 100 │ 1600":
  // fastest, slowest, median, mean, samples, iterations.
  const line = stdout.split('\n').find((l) => l.includes(` ${name} `));
  const cells = line?.split('│').map((cell) => cell.trim());
  const median = /^([\d.]+)\s*(\S+)$/.exec(cells?.[2] ?? '');
  if (!median || !(median[2] in UNITS)) throw new Error(`cannot read divan's line for ${name}:\n${stdout}`);
  return { ns: Number(median[1]) * UNITS[median[2]], samples: Number(cells[4]) };
}
