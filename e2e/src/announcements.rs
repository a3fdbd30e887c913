//! What a screen reader would announce: text that appears inside a live region (`aria-live`,
//! `role="status"`, `role="alert"`, `role="log"`) that was already in the page, or inside an
//! alert as it is added. Text put into a polite region in the same moment the region itself is
//! added is not reliably announced, so it does not count.
//!
//! [`watch`] installs a `MutationObserver` in the page (it only observes: it changes nothing and
//! moves no focus); it lasts until the next full page load, across the app's own navigation.

use fantoccini::Client;
use fantoccini::error::CmdError;

/// Starts recording announcements on the current page.
pub async fn watch(client: &Client) -> Result<(), CmdError> {
    client
        .execute(
            "const LIVE = '[aria-live]:not([aria-live=\"off\"]), [role=\"status\"], [role=\"alert\"], [role=\"log\"]';
             const known = new WeakSet(document.querySelectorAll(LIVE));
             const heard = window.__announced = [];
             const regionOf = node => (node.nodeType === 1 ? node : node.parentElement)?.closest(LIVE);
             new MutationObserver(mutations => {
               const regions = new Set();
               for (const mutation of mutations) {
                 const region = regionOf(mutation.target);
                 if (region) regions.add(region);
                 for (const added of mutation.addedNodes) {
                   if (added.nodeType === 1 && added.matches('[role=\"alert\"]')) regions.add(added);
                 }
               }
               for (const region of regions) {
                 const text = region.textContent.replace(/\\s+/g, ' ').trim();
                 if (text && (known.has(region) || region.matches('[role=\"alert\"]'))) heard.push(text);
               }
               document.querySelectorAll(LIVE).forEach(region => known.add(region));
             }).observe(document.body, { childList: true, subtree: true, characterData: true });",
            vec![],
        )
        .await?;
    Ok(())
}

/// What was announced since [`watch`], in order (a region's whole text each time it changed).
pub async fn heard(client: &Client) -> Result<Vec<String>, CmdError> {
    let heard = client
        .execute("return window.__announced || null", vec![])
        .await?;
    let Some(heard) = heard.as_array() else {
        panic!("announcements::watch was not called since the page was loaded");
    };
    Ok(heard
        .iter()
        .filter_map(|text| text.as_str().map(str::to_owned))
        .collect())
}

/// Waits until `text` has been announced (as the whole text of a live region, or within it).
pub async fn assert_announced(client: &Client, text: &str) -> Result<(), CmdError> {
    let deadline = tokio::time::Instant::now() + crate::PATIENCE;
    loop {
        let heard = heard(client).await?;
        if heard.iter().any(|said| said.contains(text)) {
            return Ok(());
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "“{text}” was not announced to screen readers; what was: {heard:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
