//! Browser tests of the sign-in page: the form, its errors, and where signing in leads (SPEC section 1).
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use mail_core::{ApiErrorBody, SignIn};
use mail_services_web::api::ApiError;
use mail_services_web::app::Pages;
use mail_services_web::pages::sign_in::{SignInForm, is_local_path, landing_path, sign_in_path};
use mail_services_web::session::{Session, SessionState};
use support::{administrator, go_to, mount, texts, user, wait_for, wait_for_path};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlElement, HtmlFormElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The form, with the signals a test drives it by, and every request it sent.
struct Form {
    root: HtmlElement,
    pending: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    sent: RwSignal<Vec<SignIn>>,
}

impl Form {
    fn mount() -> Form {
        let pending = RwSignal::new(false);
        let error = RwSignal::new(None);
        let sent = RwSignal::new(Vec::new());
        let root = mount(move || {
            view! {
                <SignInForm
                    pending
                    error
                    on_submit=Callback::new(move |request| sent.update(|all| all.push(request)))
                />
            }
        });
        Form {
            root,
            pending,
            error,
            sent,
        }
    }

    /// The input that the label with this text names.
    fn input(&self, label: &str) -> HtmlInputElement {
        let labels = self.root.query_selector_all("label").unwrap();
        let label = (0..labels.length())
            .filter_map(|i| labels.item(i))
            .map(|node| node.unchecked_into::<web_sys::HtmlLabelElement>())
            .find(|l| l.text_content().unwrap() == label)
            .unwrap_or_else(|| panic!("no label {label:?}"));
        self.root
            .query_selector(&format!("#{}", label.html_for()))
            .unwrap()
            .unwrap_or_else(|| panic!("label {label:?} names no element"))
            .unchecked_into()
    }

    fn button(&self) -> HtmlButtonElement {
        self.root
            .query_selector("form button")
            .unwrap()
            .unwrap()
            .unchecked_into()
    }

    /// What pressing Enter in a field does: submits the form, after the browser's own checks.
    fn press_enter(&self) {
        self.root
            .query_selector("form")
            .unwrap()
            .unwrap()
            .unchecked_into::<HtmlFormElement>()
            .request_submit()
            .unwrap();
    }

    fn alert(&self) -> String {
        texts(&self.root, "[role=alert] p").join(" ")
    }
}

fn wrong_credentials() -> ApiError {
    ApiError::new(
        Some(401),
        ApiErrorBody::new(
            "wrong_credentials",
            "The login or the password is wrong. Check both and try again.",
        ),
    )
}

#[wasm_bindgen_test]
fn login_and_password_are_labelled_and_say_what_password_managers_should_fill_in() {
    let form = Form::mount();
    let login = form.input("Login");
    assert_eq!(login.type_(), "text");
    assert_eq!(login.get_attribute("autocomplete").unwrap(), "username");
    assert!(login.required());
    let password = form.input("Password");
    assert_eq!(password.type_(), "password");
    assert_eq!(
        password.get_attribute("autocomplete").unwrap(),
        "current-password"
    );
    assert!(password.required());
    assert_eq!(form.button().type_(), "submit");
    assert_eq!(form.button().text_content().unwrap(), "Sign in");
    assert_eq!(form.alert(), "", "no error before the first attempt");
}

#[wasm_bindgen_test]
fn enter_sends_the_login_and_password_typed() {
    let form = Form::mount();
    form.input("Login").set_value("anna");
    form.input("Password").set_value("demo-password");
    form.press_enter();
    let sent = form.sent.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].login, "anna");
    assert_eq!(sent[0].password.expose(), "demo-password");
}

#[wasm_bindgen_test]
fn an_empty_form_is_not_sent() {
    let form = Form::mount();
    form.input("Login").set_value("anna");
    form.press_enter();
    assert!(form.sent.get_untracked().is_empty());
}

#[wasm_bindgen_test]
async fn while_signing_in_the_button_shows_progress_and_cannot_send_again() {
    let form = Form::mount();
    form.input("Login").set_value("anna");
    form.input("Password").set_value("demo-password");
    form.pending.set(true);
    support::sleep(0).await;
    assert!(form.button().disabled());
    assert_eq!(form.button().text_content().unwrap(), "Signing in…");
    form.press_enter();
    assert!(form.sent.get_untracked().is_empty());
    form.pending.set(false);
    support::sleep(0).await;
    assert!(!form.button().disabled());
    assert_eq!(form.button().text_content().unwrap(), "Sign in");
}

#[wasm_bindgen_test]
async fn wrong_credentials_are_announced_and_nothing_typed_is_lost() {
    let form = Form::mount();
    form.input("Login").set_value("anna");
    form.input("Password").set_value("not-her-password");
    form.press_enter();
    form.error.set(Some(wrong_credentials()));
    support::sleep(0).await;
    assert_eq!(
        form.alert(),
        "Could not sign in The login or the password is wrong. Check both and try again."
    );
    assert_eq!(form.input("Login").value(), "anna");
    assert_eq!(form.input("Password").value(), "not-her-password");
    assert_eq!(
        document().active_element().unwrap().id(),
        "sign-in-password",
        "the password is ready to be typed again"
    );
}

#[wasm_bindgen_test]
async fn too_many_attempts_say_when_to_try_again() {
    let form = Form::mount();
    form.error.set(Some(ApiError {
        retry_after_seconds: Some(900),
        ..ApiError::new(
            Some(429),
            ApiErrorBody::new(
                "too_many_sign_in_attempts",
                "Too many failed sign-in attempts for this login. Wait 15 minutes and try again.",
            ),
        )
    }));
    support::sleep(0).await;
    let alert = form.alert();
    assert!(alert.contains("Wait 15 minutes"), "{alert}");
    let at = alert
        .split("You can try again at ")
        .nth(1)
        .unwrap_or_else(|| panic!("no time in {alert:?}"));
    // As English writes a time of day: "2:05 PM." (the browser may put a narrow space before PM).
    let (hours, rest) = at
        .split_once(':')
        .unwrap_or_else(|| panic!("no time in {at:?}"));
    let (minutes, half) = rest.split_at(2);
    let half = half.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{202f}');
    assert!(
        hours.parse::<u8>().is_ok_and(|h| (1..=12).contains(&h))
            && minutes.parse::<u8>().is_ok_and(|m| m < 60)
            && (half == "AM." || half == "PM."),
        "an English clock time: {at:?}"
    );
}

/// The page server has no `/api`: the real request fails, as when the server is down.
#[wasm_bindgen_test]
async fn a_failed_request_is_shown_on_the_sign_in_page_and_keeps_the_login() {
    go_to("/sign-in");
    let root = mount(|| {
        provide_context(Session::new(SessionState::SignedOut));
        view! { <Pages/> }
    });
    let login: HtmlInputElement = wait_for(&root, "#sign-in-login").await.unchecked_into();
    login.set_value("anna");
    let password: HtmlInputElement = root
        .query_selector("#sign-in-password")
        .unwrap()
        .unwrap()
        .unchecked_into();
    password.set_value("demo-password");
    root.query_selector("form")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlFormElement>()
        .request_submit()
        .unwrap();
    let alert = wait_for(&root, "[role=alert] .notice").await;
    let text = alert.text_content().unwrap();
    assert!(text.contains("Could not sign in"), "{text}");
    assert!(
        text.contains("404"),
        "says what the server answered: {text}"
    );
    assert_eq!(login.value(), "anna");
    assert_eq!(support::current_path(), "/sign-in");
}

#[wasm_bindgen_test]
async fn a_signed_in_administrator_goes_on_to_where_they_were_going() {
    go_to("/sign-in?next=/admin/email/services");
    mount(|| {
        provide_context(Session::new(SessionState::SignedIn(administrator())));
        view! { <Pages/> }
    });
    wait_for_path("/admin/email/services").await;
}

#[wasm_bindgen_test]
async fn a_signed_in_user_goes_to_my_mailboxes() {
    go_to("/sign-in");
    let root = mount(|| {
        provide_context(Session::new(SessionState::SignedIn(user())));
        view! { <Pages/> }
    });
    wait_for_path("/mail/mailboxes").await;
    assert_eq!(
        wait_for(&root, "main h1").await.text_content().unwrap(),
        "My mailboxes"
    );
}

#[wasm_bindgen_test]
fn only_paths_of_this_site_are_followed_after_signing_in() {
    for local in ["/", "/admin/email/services", "/a?b=c#d"] {
        assert!(is_local_path(local), "{local}");
    }
    for elsewhere in [
        "",
        "admin",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/sign-in",
        "/sign-in/?next=/",
        "/a\nb",
    ] {
        assert!(!is_local_path(elsewhere), "{elsewhere:?}");
    }
    assert_eq!(
        landing_path(Some("//evil.example"), &administrator()),
        "/admin/email/services"
    );
    assert_eq!(landing_path(None, &user()), "/mail/mailboxes");
    assert_eq!(
        landing_path(Some("/admin/email/services"), &user()),
        "/admin/email/services"
    );
    assert_eq!(
        sign_in_path("/admin/email/services"),
        "/sign-in?next=/admin/email/services"
    );
    assert_eq!(sign_in_path("/a?b=c&d"), "/sign-in?next=/a%3Fb%3Dc%26d");
}
