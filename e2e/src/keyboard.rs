//! Driving the app with the keyboard alone: WebDriver key actions go to whatever has the focus, as
//! a person's key presses do (no element is clicked, sent keys or focused by a script), and the
//! checks read where the focus is and whether a sighted person can see it.

use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::error::CmdError;
use fantoccini::key::Key;
use serde_json::{Value, json};

use crate::audit::{COLOUR_SCRIPT, after_layout};

async fn perform(client: &Client, actions: Vec<KeyAction>) -> Result<(), CmdError> {
    let keys = actions
        .into_iter()
        .fold(KeyActions::new("keyboard".to_owned()), |keys, action| {
            keys.then(action)
        });
    client.perform_actions(keys).await?;
    client.release_actions().await?;
    // Whatever the key set off is on the page before the next check.
    after_layout(client).await
}

fn stroke(key: char) -> [KeyAction; 2] {
    [KeyAction::Down { value: key }, KeyAction::Up { value: key }]
}

/// Presses and releases `key` (Tab, Enter, Space, Escape, an arrow…).
pub async fn press(client: &Client, key: Key) -> Result<(), CmdError> {
    perform(client, stroke(key.into()).to_vec()).await
}

/// Presses `key` with Shift held (Shift+Tab).
pub async fn press_shifted(client: &Client, key: Key) -> Result<(), CmdError> {
    let shift = char::from(Key::Shift);
    let mut actions = vec![KeyAction::Down { value: shift }];
    actions.extend(stroke(key.into()));
    actions.push(KeyAction::Up { value: shift });
    perform(client, actions).await
}

/// Types `text` into whatever has the focus, one key at a time.
pub async fn type_text(client: &Client, text: &str) -> Result<(), CmdError> {
    perform(client, text.chars().flat_map(stroke).collect()).await
}

/// Where the focus is, and how it shows.
#[derive(Debug, Clone)]
pub struct Focus {
    /// The focused element's opening tag and text, for messages.
    pub element: String,
    /// Whether the focused element is the one the expected XPath finds.
    pub as_expected: bool,
    /// Its computed outline is drawn with at least 3:1 contrast against the background around it
    /// (WCAG 1.4.11), or it has a box-shadow.
    pub indicated: bool,
    /// What draws it: `outline: …; box-shadow: …`.
    pub indicator: String,
    /// Nothing else (such as a sticky bar) lies over the middle of its visible part, and some of it
    /// is in the viewport.
    pub unobscured: bool,
    /// What lies there instead, when obscured.
    pub on_top: String,
}

/// Reads where the focus is, compared with the element `xpath` finds, once the page has drawn
/// its next frames (the app moves the focus in an animation frame, e.g. after a save answered).
pub async fn focus(client: &Client, xpath: &str) -> Result<Focus, CmdError> {
    after_layout(client).await?;
    let script = [
        COLOUR_SCRIPT,
        "const [xpath] = arguments;
         const active = document.activeElement;
         const expected = document.evaluate(xpath, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
         const describe = element => {
           if (!element) return 'nothing';
           const tag = element.outerHTML.replace(/\\s+/g, ' ').match(/^<[^>]*>/);
           const text = (element.innerText || element.value || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
           return `${tag ? tag[0].slice(0, 200) : element.nodeName} “${text}”`;
         };
         const style = getComputedStyle(active);
         const around = backgroundBehind(active.parentElement || active);
         const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
         const outlineContrast = outlined ? contrast(over(rgba(style.outlineColor), around), around) : 0;
         const shadowed = style.boxShadow !== 'none';
         const box = active.getBoundingClientRect();
         const left = Math.max(box.left, 0), right = Math.min(box.right, window.innerWidth);
         const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, window.innerHeight);
         const onTop = right > left && bottom > top
           ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
         return {
           element: describe(active),
           as_expected: expected !== null && expected === active,
           indicated: (outlined && outlineContrast >= 3) || shadowed,
           indicator: `outline: ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}, ${outlineContrast.toFixed(2)}:1 against ${css(around)}; box-shadow: ${style.boxShadow}`,
           unobscured: onTop !== null && (onTop === active || active.contains(onTop)),
           on_top: describe(onTop),
         };",
    ]
    .concat();
    let answer = client.execute(&script, vec![json!(xpath)]).await?;
    let text = |key: &str| answer[key].as_str().unwrap_or_default().to_owned();
    let flag = |key: &str| answer[key] == Value::Bool(true);
    Ok(Focus {
        element: text("element"),
        as_expected: flag("as_expected"),
        indicated: flag("indicated"),
        indicator: text("indicator"),
        unobscured: flag("unobscured"),
        on_top: text("on_top"),
    })
}

/// Asserts that, after `step`, the focus is on the element `xpath` finds (`what` names it), that
/// its focus indicator is drawn, and that nothing covers it.
pub async fn assert_focus(
    client: &Client,
    step: &str,
    what: &str,
    xpath: &str,
) -> Result<(), CmdError> {
    let focus = focus(client, xpath).await?;
    assert!(
        focus.as_expected,
        "after {step}, the focus should be on {what} ({xpath}), but it is on {}",
        focus.element
    );
    assert_focus_shows(&focus, step);
    Ok(())
}

/// Presses Tab (`shift`: Shift+Tab) and asserts that the focus lands on the element `xpath`
/// finds (`what` names it), visibly.
async fn tab_expecting(
    client: &Client,
    shift: bool,
    what: &str,
    xpath: &str,
) -> Result<(), CmdError> {
    let from = focus(client, xpath).await?.element;
    let key = if shift {
        press_shifted(client, Key::Tab).await?;
        "Shift+Tab"
    } else {
        press(client, Key::Tab).await?;
        "Tab"
    };
    assert_focus(client, &format!("{key} from {from}"), what, xpath).await
}

/// Presses Tab and asserts that the focus lands visibly on `what`, which `xpath` finds.
pub async fn tab_expect(client: &Client, what: &str, xpath: &str) -> Result<(), CmdError> {
    tab_expecting(client, false, what, xpath).await
}

/// Presses Shift+Tab and asserts that the focus lands visibly on `what`, which `xpath` finds.
pub async fn shift_tab_expect(client: &Client, what: &str, xpath: &str) -> Result<(), CmdError> {
    tab_expecting(client, true, what, xpath).await
}

/// Asserts that, after `step`, the focus is still in the page's content, `<main>` (not dropped
/// to the document, which sends the next Tab back to the top of the page), and can be seen there.
pub async fn assert_focus_in_main(client: &Client, step: &str) -> Result<(), CmdError> {
    let now = focus(client, "//main").await?;
    let in_main = client
        .execute(
            "const active = document.activeElement;
             return active !== document.body && document.querySelector('main').contains(active);",
            vec![],
        )
        .await?;
    assert!(
        in_main == Value::Bool(true),
        "after {step}, the focus should stay in the page's content, but it is on {}",
        now.element
    );
    assert_focus_shows(&now, step);
    Ok(())
}

/// Asserts that the focused element's focus indicator is drawn and that nothing covers it.
pub fn assert_focus_shows(focus: &Focus, step: &str) {
    assert!(
        focus.indicated,
        "after {step}, the focus on {} is not visible: {}",
        focus.element, focus.indicator
    );
    assert!(
        focus.unobscured,
        "after {step}, the focused {} is hidden under {}",
        focus.element, focus.on_top
    );
}

/// Presses Tab until the focus reaches the element `xpath` finds, at most `limit` times, checking
/// at each stop that the focus shows. Returns the elements passed on the way (not the target).
pub async fn tab_to(
    client: &Client,
    what: &str,
    xpath: &str,
    limit: usize,
) -> Result<Vec<String>, CmdError> {
    tab_until(client, false, what, xpath, limit).await
}

/// [`tab_to`] backwards, with Shift+Tab.
pub async fn shift_tab_to(
    client: &Client,
    what: &str,
    xpath: &str,
    limit: usize,
) -> Result<Vec<String>, CmdError> {
    tab_until(client, true, what, xpath, limit).await
}

async fn tab_until(
    client: &Client,
    shift: bool,
    what: &str,
    xpath: &str,
    limit: usize,
) -> Result<Vec<String>, CmdError> {
    let key = if shift { "Shift+Tab" } else { "Tab" };
    let mut passed = Vec::new();
    for _ in 0..limit {
        if shift {
            press_shifted(client, Key::Tab).await?;
        } else {
            press(client, Key::Tab).await?;
        }
        let focus = focus(client, xpath).await?;
        assert_focus_shows(&focus, &format!("{key} towards {what}"));
        if focus.as_expected {
            return Ok(passed);
        }
        passed.push(focus.element);
    }
    panic!(
        "{limit} presses of {key} did not reach {what} ({xpath}); the focus went through:\n  {}",
        passed.join("\n  ")
    );
}
