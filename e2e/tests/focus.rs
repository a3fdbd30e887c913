//! Where the keyboard focus goes when what had it leaves or the page moves on, driven by key
//! presses alone (see `keyboard.rs`): "Skip to content" (WCAG 2.4.1), and Undo, which goes away
//! with the change it undoes (WCAG 2.4.3).

use e2e::keyboard::{assert_focus, press, tab_to};
use e2e::{DEMO_ADMIN, Server, in_browser, sign_in_on_the_way_to, wait_for};
use fantoccini::key::Key;

const SETTINGS: &str = "/admin/email/services";
const HIDE_GMAIL: &str = "//button[@aria-label='Hide Gmail']";

#[tokio::test]
async fn the_skip_link_moves_the_focus_to_the_main_content() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        sign_in_on_the_way_to(&client, &url, SETTINGS, DEMO_ADMIN.0).await?;
        wait_for(&client, "//table").await?;
        tab_to(
            &client,
            "the skip link",
            "//a[normalize-space()='Skip to content']",
            3,
        )
        .await?;
        press(&client, Key::Enter).await?;
        assert_focus(
            &client,
            "Enter on “Skip to content”",
            "the main content",
            "//main[@id='main']",
        )
        .await?;
        press(&client, Key::Tab).await?;
        assert_focus(
            &client,
            "Tab from the main content",
            "the first control of the page, the first company policy",
            "(//main//input)[1]",
        )
        .await
    })
    .await;
}

#[tokio::test]
async fn undoing_a_row_keeps_the_focus_in_the_row() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        sign_in_on_the_way_to(&client, &url, SETTINGS, DEMO_ADMIN.0).await?;
        wait_for(&client, "//table").await?;
        tab_to(&client, "“Hide Gmail”", HIDE_GMAIL, 20).await?;
        press(&client, Key::Enter).await?;
        tab_to(
            &client,
            "Gmail's Undo",
            "//button[@aria-label='Undo changes to Gmail']",
            1,
        )
        .await?;
        press(&client, Key::Enter).await?;
        assert_focus(&client, "Enter on Gmail's Undo", "“Hide Gmail”", HIDE_GMAIL).await
    })
    .await;
}
