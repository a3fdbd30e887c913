// The static baseline page's counterpart of the app's `mail:settings-ready` mark (src/perf.rs): the
// list is in the HTML, so it is rendered once the parser reaches the end of the body (where this
// script is); the mark is set after the next animation frame and the task after it, exactly as the
// app sets its own. An external file because the Content-Security-Policy forbids inline scripts.
requestAnimationFrame(() => setTimeout(() => performance.mark('mail:settings-ready'), 0));
