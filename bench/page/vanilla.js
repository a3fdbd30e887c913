// The vanilla-JS baseline of the admin list, run inside the app's page through page.evaluate (the
// Content-Security-Policy does not apply to DevTools' evaluation). Each function is serialised on
// its own, so each is self-contained.
//
// The rows are the app's rows (src/components/service_table.rs) node for node, attribute for
// attribute, minus the framework's empty comment markers; the icons are the app's own SVGs, copied
// from its DOM. They are built the way js-framework-benchmark's vanilla implementation does it:
// one prototype row cloned per service and its texts filled in, then one append.

/** Copies the app's icon SVGs from its rendered list (the list must hold a hidden service). */
export function captureIcons() {
  const svg = (title) => {
    const icon = document.querySelector(`table.services button[title="${title}"] svg`);
    if (!icon) throw new Error(`no "${title}" button with an icon in the app's list`);
    return icon.outerHTML;
  };
  return { edit: svg('Edit'), hide: svg('Hide'), show: svg('Show'), remove: svg('Delete') };
}

/**
 * Given the settings document as JSON text: parses it, builds the rows into a new table after the
 * app's (which is hidden first, outside the timing, so that both lists lay out in the same page),
 * and waits for paint the way the app's mark does. Resolves to the ms from before JSON.parse to
 * after paint.
 */
export async function vanillaRender(jsonText, icons) {
  const app = document.querySelector('table.services:not(.bench-vanilla)');
  app.style.display = 'none';
  document.body.getBoundingClientRect();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));

  const start = performance.now();
  const settings = JSON.parse(jsonText);
  const svg = (markup) => {
    const template = document.createElement('template');
    template.innerHTML = markup;
    return template.content.firstChild;
  };
  const icon = { edit: svg(icons.edit), hide: svg(icons.hide), show: svg(icons.show), remove: svg(icons.remove) };
  const element = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const button = (className, title, svgNode) =>
    element('button', { class: className, type: 'button', 'aria-label': '', title }, svgNode.cloneNode(true));
  const endpointCell = (protocol) =>
    element('td', { class: `server ${protocol}` }, element('code', { class: 'endpoint' }, ''), ' ', element('span', { class: 'security' }, ''));
  const prototype = element(
    'tr',
    {},
    element('th', { scope: 'row' }, element('span', { class: 'service-name' }, ''), ' ', element('span', { class: 'tag' }, '')),
    endpointCell('smtp'),
    endpointCell('imap'),
    element('td', { class: 'visibility' }, ''),
    element('td', { class: 'count' }, ''),
    element(
      'td',
      { class: 'actions' },
      button('icon-button', 'Edit', icon.edit),
      button('icon-button', 'Hide', icon.hide),
      button('icon-button icon-danger', 'Delete', icon.remove),
    ),
  );
  // A row's Hide/Show button.
  const TOGGLE = 'button[title="Hide"], button[title="Show"]';
  const securityLabel = { none: 'None', starttls: 'STARTTLS', tls: 'TLS' };
  const address = ({ host, port }) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
  const fillEndpoint = (cell, endpoint) => {
    cell.firstChild.firstChild.data = address(endpoint);
    cell.lastChild.firstChild.data = securityLabel[endpoint.security];
  };
  const setHidden = (row, name, hidden) => {
    row.classList.toggle('hidden-service', hidden);
    if (!row.getAttribute('class')) row.removeAttribute('class');
    row.children[3].firstChild.data = hidden ? 'Hidden' : 'Shown';
    const toggle = row.querySelector(TOGGLE);
    toggle.setAttribute('aria-label', `${hidden ? 'Show' : 'Hide'} ${name}`);
    toggle.setAttribute('title', hidden ? 'Show' : 'Hide');
    toggle.replaceChildren((hidden ? icon.show : icon.hide).cloneNode(true));
  };

  const tbody = document.createElement('tbody');
  for (const service of settings.services) {
    const row = prototype.cloneNode(true);
    const [nameCell, smtpCell, imapCell, , countCell, actions] = row.children;
    nameCell.firstChild.firstChild.data = service.name;
    nameCell.lastChild.firstChild.data = service.kind === 'corporate' ? 'Corporate' : 'Standard';
    fillEndpoint(smtpCell, service.smtp);
    fillEndpoint(imapCell, service.imap);
    countCell.firstChild.data = String(service.mailbox_count);
    const [edit, toggle, remove] = actions.children;
    if (service.kind === 'corporate') {
      edit.setAttribute('aria-label', `Edit ${service.name}`);
      remove.setAttribute('aria-label', `Delete ${service.name}`);
    } else {
      edit.remove();
      remove.remove();
    }
    setHidden(row, service.name, service.hidden);
    tbody.append(row);
  }
  // One listener for every row's Hide/Show button, as a hand-written list would do it.
  tbody.addEventListener('click', (event) => {
    const toggle = event.target.closest(TOGGLE);
    if (!toggle) return;
    const row = toggle.closest('tr');
    setHidden(row, row.querySelector('.service-name').textContent, !row.classList.contains('hidden-service'));
  });
  // A copy of the app's table element, its phone column labels (style --label-…) included.
  const table = app.cloneNode(false);
  table.style.removeProperty('display');
  table.classList.add('bench-vanilla');
  table.append(...[...app.children].filter((child) => child.tagName !== 'TBODY').map((child) => child.cloneNode(true)), tbody);
  app.after(table);
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - start;
}

/**
 * Clicks the Hide button of row `index` of the app's list (or the baseline's) and resolves to the
 * ms until the next paint (the next animation frame and the task after it).
 */
export async function hideRow(index, vanilla) {
  const table = document.querySelector(vanilla ? 'table.services.bench-vanilla' : 'table.services:not(.bench-vanilla)');
  const button = table.querySelectorAll('tbody tr')[index]?.querySelector('button[title="Hide"]');
  if (!button) throw new Error(`row ${index} of the ${vanilla ? 'baseline' : "app's"} list has no Hide button`);
  const start = performance.now();
  button.click();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - start;
}

/**
 * Compares the baseline's rows with the app's, markup for markup (the framework's comment markers
 * dropped), skipping `skip` (a row the run changed). Resolves to the number
 * of rows and the first difference, if any.
 */
export function compareRows(skip) {
  const markup = (row) => row.outerHTML.replace(/<!--[\s\S]*?-->/g, '');
  const app = [...document.querySelectorAll('table.services:not(.bench-vanilla) tbody tr')];
  const vanilla = [...document.querySelectorAll('table.services.bench-vanilla tbody tr')];
  if (app.length !== vanilla.length) return { rows: app.length, difference: `${app.length} app rows, ${vanilla.length} baseline rows` };
  for (let i = 0; i < app.length; i++) {
    if (i === skip) continue;
    const [a, b] = [markup(app[i]), markup(vanilla[i])];
    if (a !== b) {
      let at = 0;
      while (a[at] === b[at]) at++;
      return { rows: app.length, difference: `row ${i}: app …${a.slice(Math.max(0, at - 60), at + 80)}… baseline …${b.slice(Math.max(0, at - 60), at + 80)}…` };
    }
  }
  return { rows: app.length, difference: null };
}
