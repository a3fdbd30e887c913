// Nothing the benchmark starts may outlive it: every process it spawns and every temporary
// directory it makes is registered here and ended or removed on any exit — normal, an error,
// Ctrl-C or SIGTERM. The handlers are synchronous so that they also run from process.on('exit').

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tasks = new Map();
let nextId = 0;

/** Registers a synchronous clean-up; returns a function that runs it now (once). */
export function onCleanup(task) {
  const id = nextId++;
  tasks.set(id, task);
  return () => {
    if (tasks.delete(id)) task();
  };
}

/** Runs every registered clean-up, newest first; never throws. */
export function cleanupAll() {
  for (const id of [...tasks.keys()].reverse()) {
    const task = tasks.get(id);
    tasks.delete(id);
    try {
      task();
    } catch {
      // Best effort: the remaining tasks still run.
    }
  }
}

/** A fresh directory under the system's temporary directory, removed on exit. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `mail-services-bench-${prefix}-`));
  const remove = onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, remove };
}

/** Ends a child process with SIGKILL, and its process group when it was started as the leader of
 *  one (`group`); a process already gone is no error. */
export function killProcess(pid, { group = false } = {}) {
  for (const target of group ? [-pid, pid] : [pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

process.on('exit', cleanupAll);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    console.error(`\nbench: ${signal}, stopping`);
    cleanupAll();
    process.exit(code);
  });
}
