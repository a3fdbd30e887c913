//! "Skip to content" (WCAG 2.4.1) takes the keyboard focus to the page's main content, so that the
//! next Tab goes to the page's first control rather than back into the top bar.

use e2e::keyboard::{assert_focus, press, tab_to};
use e2e::{DEMO_ADMIN, Server, in_browser, sign_in_on_the_way_to, wait_for};
use fantoccini::key::Key;

#[tokio::test]
async fn the_skip_link_moves_the_focus_to_the_main_content() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        let settings = "/admin/email/services";
        sign_in_on_the_way_to(&client, &url, settings, DEMO_ADMIN.0).await?;
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
