//! Accessibility audits of the page a test has brought the browser to: axe-core (the npm package
//! pinned in `tools/package-lock.json`, injected through WebDriver, where the app's
//! Content-Security-Policy does not apply) at a desktop and at a phone size; and what axe leaves
//! out: that nothing scrolls sideways at 320 or 360 px or at 200 % zoom (WCAG 1.4.10), that text
//! spacing does not break the layout (1.4.12), and that form fields' edges have 3:1 contrast
//! (1.4.11).
//!
//! [`Audit`] collects every finding of every page state and fails once at the end, with each
//! violation's rule, impact, help text and the offending elements, so that one run lists all there
//! is to fix.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use fantoccini::Client;
use fantoccini::error::CmdError;
use serde_json::{Value, json};

/// axe's rule tags that are audited: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
/// No rule is left out.
pub const AXE_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/// A size of the browser's viewport, in CSS pixels.
#[derive(Debug, Clone, Copy)]
pub struct Viewport {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The size the tests' browsers start at.
pub const DESKTOP: Viewport = Viewport {
    name: "desktop 1280×900",
    width: 1280,
    height: 900,
};

/// A small phone held upright.
pub const PHONE: Viewport = Viewport {
    name: "phone 360×740",
    width: 360,
    height: 740,
};

/// The narrowest width WCAG 1.4.10 asks content to reflow to (1280 px at 400 %).
pub const NARROWEST: Viewport = Viewport {
    name: "320×640 (WCAG 1.4.10's narrowest)",
    width: 320,
    height: 640,
};

/// The desktop at 200 % zoom: half as many CSS pixels each way.
pub const ZOOMED: Viewport = Viewport {
    name: "1280×900 at 200 % zoom (640×450)",
    width: 640,
    height: 450,
};

/// Where axe audits each state.
pub const AUDITED_AT: [Viewport; 2] = [DESKTOP, PHONE];

/// Where each state must fit the width without scrolling sideways.
pub const REFLOWS_AT: [Viewport; 3] = [NARROWEST, PHONE, ZOOMED];

fn axe_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/node_modules/axe-core/axe.min.js")
}

/// The text of axe.min.js, read once.
fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = axe_path();
        std::fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!(
                "cannot read {} ({error}): install the npm tools with `npm ci --prefix tools` (./dev test does)",
                path.display()
            )
        })
    })
}

/// Resizes the window so that the page's viewport is `viewport`, and waits until the page has been
/// laid out at that size.
pub async fn set_viewport(client: &Client, viewport: Viewport) -> Result<(), CmdError> {
    let target = (i64::from(viewport.width), i64::from(viewport.height));
    // The window is the viewport plus whatever frame the browser draws around it, which is known
    // only once the window has that size: ask, measure, and correct by the difference.
    let mut window = target;
    let mut inner = (0, 0);
    for _ in 0..5 {
        client
            .set_window_size(window.0.max(1) as u32, window.1.max(1) as u32)
            .await?;
        after_layout(client).await?;
        let size = client
            .execute("return [window.innerWidth, window.innerHeight]", vec![])
            .await?;
        inner = (
            size[0].as_i64().unwrap_or_default(),
            size[1].as_i64().unwrap_or_default(),
        );
        if inner == target {
            return Ok(());
        }
        window = (window.0 + target.0 - inner.0, window.1 + target.1 - inner.1);
    }
    panic!(
        "the browser would not take the viewport {}: it is {}×{}",
        viewport.name, inner.0, inner.1
    );
}

/// Waits for two animation frames: style and layout are then up to date.
pub async fn after_layout(client: &Client) -> Result<(), CmdError> {
    client
        .execute_async(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await?;
    Ok(())
}

/// What axe found on the whole document with the [`AXE_TAGS`] rules: its violations, and what it
/// could not decide (`incomplete`: for a person to review), as axe reports them.
pub struct AxeFindings {
    pub violations: Vec<Value>,
    pub incomplete: Vec<Value>,
}

/// Runs axe on the whole document with the [`AXE_TAGS`] rules.
pub async fn axe_run(client: &Client) -> Result<AxeFindings, CmdError> {
    let present = client
        .execute("return typeof window.axe === 'object'", vec![])
        .await?;
    if present != Value::Bool(true) {
        client.execute(axe_source(), vec![]).await?;
    }
    let answer = client
        .execute_async(
            "const [tags, done] = arguments;
             axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] })
               .then(results => {
                 const brief = v => ({
                   id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                   nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary })),
                 });
                 done({ violations: results.violations.map(brief), incomplete: results.incomplete.map(brief) });
               })
               .catch(error => done({ error: String(error) }));",
            vec![json!(AXE_TAGS)],
        )
        .await?;
    if let Some(error) = answer.get("error") {
        panic!("axe.run failed: {error}");
    }
    let list = |key: &str| answer[key].as_array().cloned().unwrap_or_default();
    Ok(AxeFindings {
        violations: list("violations"),
        incomplete: list("incomplete"),
    })
}

/// One violation as a developer needs it: rule, impact, help and each offending element.
pub fn describe_violation(violation: &Value) -> String {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let mut out = format!(
        "{} [{}] {} ({})",
        text(&violation["id"]),
        text(&violation["impact"]),
        text(&violation["help"]),
        text(&violation["helpUrl"]),
    );
    for node in violation["nodes"].as_array().into_iter().flatten() {
        let target: Vec<String> = node["target"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|selector| match selector {
                Value::String(selector) => selector.clone(),
                other => other.to_string(),
            })
            .collect();
        let _ = write!(
            out,
            "\n      - {}\n        {}",
            target.join(" "),
            text(&node["html"])
        );
        for line in text(&node["summary"]).lines() {
            let _ = write!(out, "\n        {line}");
        }
    }
    out
}

/// Whether the page scrolls sideways: `None` when it fits, else the widths and the elements that
/// stick out past the right edge (the innermost ones, which are the ones to fix).
pub async fn horizontal_overflow(client: &Client) -> Result<Option<String>, CmdError> {
    let answer = client
        .execute(
            "const root = document.documentElement;
             const width = root.clientWidth;
             if (root.scrollWidth <= width) return null;
             const out = [...document.body.querySelectorAll('*')].filter(element => {
               const box = element.getBoundingClientRect();
               return box.width > 0 && box.right > width + 0.5;
             });
             const innermost = out.filter(element => !out.some(other => other !== element && element.contains(other)));
             const describe = element => {
               const box = element.getBoundingClientRect();
               const html = element.outerHTML.replace(/\\s+/g, ' ');
               return `${Math.round(box.left)}–${Math.round(box.right)} px: ${html.length > 160 ? html.slice(0, 160) + '…' : html}`;
             };
             return { scrollWidth: root.scrollWidth, clientWidth: width, elements: innermost.slice(0, 8).map(describe) };",
            vec![],
        )
        .await?;
    if answer.is_null() {
        return Ok(None);
    }
    let mut out = format!(
        "the page scrolls sideways: scrollWidth {} > clientWidth {}; sticking out:",
        answer["scrollWidth"], answer["clientWidth"]
    );
    for element in answer["elements"].as_array().into_iter().flatten() {
        let _ = write!(out, "\n      - {}", element.as_str().unwrap_or_default());
    }
    Ok(Some(out))
}

/// Script functions for colours as the page paints them: `backgroundBehind(element)` (the
/// element's and its ancestors' backgrounds composited over white), `rgba(text)` and
/// `contrast(a, b)` (WCAG's contrast ratio). Prepended to the scripts that judge contrast.
pub const COLOUR_SCRIPT: &str = "
const rgba = text => {
  const m = /rgba?\\(([^)]+)\\)/.exec(text || '');
  if (!m) return null;
  const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat(1);
const backgroundBehind = element => {
  const layers = [];
  for (let e = element; e; e = e.parentElement) {
    const colour = rgba(getComputedStyle(e).backgroundColor);
    if (colour && colour[3] > 0) { layers.push(colour); if (colour[3] >= 1) break; }
  }
  return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
};
const css = c => `rgb(${c.slice(0, 3).map(Math.round).join(', ')})`;
const luminance = c => {
  const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a, b) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
};
";

/// WCAG 1.4.11, which axe does not check: the boundary of each visible text field and select (its
/// border, or its background where it has none) against what surrounds it, at least 3:1. `None`
/// when all pass.
pub async fn form_field_contrast(client: &Client) -> Result<Option<String>, CmdError> {
    let script = format!(
        "{COLOUR_SCRIPT}
         const fields = document.querySelectorAll(
           'input:not([type=checkbox]):not([type=radio]):not([type=hidden]), select, textarea');
         const weak = [];
         for (const field of fields) {{
           const box = field.getBoundingClientRect();
           if (box.width < 2 || box.height < 2) continue;
           const style = getComputedStyle(field);
           const around = backgroundBehind(field.parentElement);
           const bordered = parseFloat(style.borderTopWidth) > 0 && style.borderTopStyle !== 'none';
           const edge = bordered ? over(rgba(style.borderTopColor), around) : backgroundBehind(field);
           const ratio = contrast(edge, around);
           if (ratio < 3) weak.push(`${{ratio.toFixed(2)}}:1 (${{bordered ? 'border' : 'background'}} ${{style.borderTopColor}} on ${{css(around)}}): ${{field.outerHTML.slice(0, 160)}}`);
         }}
         return weak;"
    );
    let weak = client.execute(&script, vec![]).await?;
    Ok(listing(
        "form fields whose edge has less than 3:1 contrast with what surrounds them (WCAG 1.4.11)",
        &weak,
    ))
}

/// `title:` and the strings of the JSON array `items`, one a line; `None` when there are none.
fn listing(title: &str, items: &Value) -> Option<String> {
    let items: Vec<&str> = items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    (!items.is_empty()).then(|| format!("{title}:\n      - {}", items.join("\n      - ")))
}

/// WCAG 1.4.12: with the text spacing a reader may set (line height 1.5, paragraphs 2 em apart,
/// letters 0.12 em and words 0.16 em), nothing scrolls sideways and no box cuts its text off.
/// The spacing is added as a stylesheet of its own (the page's CSP allows constructed ones) and
/// removed afterwards. `None` when all fits.
pub async fn text_spacing_problems(client: &Client) -> Result<Option<String>, CmdError> {
    client
        .execute(
            "const sheet = new CSSStyleSheet();
             sheet.replaceSync('* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }');
             window.__textSpacing = sheet;
             document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];",
            vec![],
        )
        .await?;
    after_layout(client).await?;
    let overflow = horizontal_overflow(client).await;
    let clipped = client
        .execute(
            // Form fields scroll their own text, as they always do.
            "return [...document.querySelectorAll('body *:not(input, select, textarea)')].filter(element => {
               const style = getComputedStyle(element);
               const clips = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
               return clips && element.clientWidth > 1 && element.clientHeight > 1
                 && (element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1);
             }).map(element => element.outerHTML.replace(/\\s+/g, ' ').slice(0, 160));",
            vec![],
        )
        .await;
    client
        .execute(
            "document.adoptedStyleSheets = document.adoptedStyleSheets.filter(sheet => sheet !== window.__textSpacing);",
            vec![],
        )
        .await?;
    after_layout(client).await?;
    let mut problems = Vec::new();
    if let Some(overflow) = overflow? {
        problems.push(overflow);
    }
    if let Some(clipped) = listing("boxes that cut their text off", &clipped?) {
        problems.push(clipped);
    }
    Ok((!problems.is_empty()).then(|| {
        format!(
            "with WCAG 1.4.12's text spacing: {}",
            problems.join("\n    ")
        )
    }))
}

/// `Add dialog, empty` → `add-dialog-empty`, for file names.
fn slug(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The audit of a run through the app in one language: every state checked, and what failed.
pub struct Audit {
    language: &'static str,
    checked: usize,
    failures: Vec<String>,
}

impl Audit {
    /// An audit of the app in `language` (a BCP 47 primary tag, as the browser was started in).
    pub fn new(language: &'static str) -> Audit {
        Audit {
            language,
            checked: 0,
            failures: Vec::new(),
        }
    }

    /// Checks the page as it is now, `state` naming it in the report: the document's language,
    /// axe at each of [`AUDITED_AT`], the contrast of form fields' edges, reflow at each of
    /// [`REFLOWS_AT`], and text spacing on the phone. Leaves the viewport at [`DESKTOP`].
    pub async fn check(&mut self, client: &Client, state: &str) -> Result<(), CmdError> {
        self.checked += 1;
        let lang = client
            .execute("return document.documentElement.lang", vec![])
            .await?;
        let lang = lang.as_str().unwrap_or_default();
        if lang.split('-').next().unwrap_or_default().to_lowercase() != self.language {
            self.fail(
                state,
                "the document",
                format!(
                    "<html lang=\"{lang}\"> does not name the page's language, {} (WCAG 3.1.1)",
                    self.language
                ),
            );
        }
        for viewport in AUDITED_AT {
            set_viewport(client, viewport).await?;
            crate::screenshot(
                client,
                &format!(
                    "a11y-{}-{}-{}x{}",
                    self.language,
                    slug(state),
                    viewport.width,
                    viewport.height
                ),
            )
            .await;
            let findings = axe_run(client).await?;
            for violation in &findings.violations {
                self.fail(state, viewport.name, describe_violation(violation));
            }
            for review in &findings.incomplete {
                // Not failures: axe could not decide (e.g. text over a dialog's backdrop).
                eprintln!(
                    "accessibility audit: [{}] {state} — {}: for review: {}",
                    self.language,
                    viewport.name,
                    describe_violation(review)
                );
            }
        }
        if let Some(weak) = form_field_contrast(client).await? {
            self.fail(state, "non-text contrast", weak);
        }
        for viewport in REFLOWS_AT {
            set_viewport(client, viewport).await?;
            if let Some(overflow) = horizontal_overflow(client).await? {
                self.fail(state, &format!("reflow at {}", viewport.name), overflow);
            }
        }
        set_viewport(client, PHONE).await?;
        if let Some(problems) = text_spacing_problems(client).await? {
            self.fail(state, &format!("text spacing at {}", PHONE.name), problems);
        }
        set_viewport(client, DESKTOP).await
    }

    fn fail(&mut self, state: &str, context: &str, finding: String) {
        let failure = format!("[{}] {state} — {context}:\n    {finding}", self.language);
        // Printed at once too, so that it is not lost if a later step of the test fails.
        eprintln!("accessibility audit: {failure}");
        self.failures.push(failure);
    }

    /// Fails with every finding, if there were any.
    pub fn finish(self) {
        assert!(self.checked > 0, "the audit checked nothing");
        if !self.failures.is_empty() {
            panic!(
                "accessibility audit in {}: {} findings in the {} page states checked:\n\n{}",
                self.language,
                self.failures.len(),
                self.checked,
                self.failures.join("\n\n")
            );
        }
    }
}
