//! Accessibility audits of the page a test has brought the browser to: axe-core (the npm package
//! pinned in `tools/package-lock.json`, injected through WebDriver, where the app's
//! Content-Security-Policy does not apply) at a desktop and at a phone size, and a reflow check that
//! nothing scrolls sideways on a 360 px phone or at 200 % zoom (WCAG 1.4.10).
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

/// The desktop at 200 % zoom: half as many CSS pixels each way.
pub const ZOOMED: Viewport = Viewport {
    name: "1280×900 at 200 % zoom (640×450)",
    width: 640,
    height: 450,
};

/// Where axe audits each state.
pub const AUDITED_AT: [Viewport; 2] = [DESKTOP, PHONE];

/// Where each state must fit the width without scrolling sideways.
pub const REFLOWS_AT: [Viewport; 2] = [PHONE, ZOOMED];

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
    /// axe at each of [`AUDITED_AT`], and reflow at each of [`REFLOWS_AT`]. Leaves the viewport
    /// at [`DESKTOP`].
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
        for viewport in REFLOWS_AT {
            set_viewport(client, viewport).await?;
            if let Some(overflow) = horizontal_overflow(client).await? {
                self.fail(state, &format!("reflow at {}", viewport.name), overflow);
            }
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
