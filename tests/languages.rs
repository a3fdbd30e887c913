//! Browser tests of the English and Russian interface (issue 8): pages and dialogs in Russian,
//! switching live from the top bar, the choice kept for the next start, `<html lang>`, plural
//! forms and numbers as each language writes them, and the language of the requests.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use mail_core::{
    MailService, Password, Security, ServerEndpoint, ServiceKind, ServiceMailbox, ServiceUsage,
    SettingsDocument, SignIn,
};
use mail_services_web::api;
use mail_services_web::app::Pages;
use mail_services_web::components::delete_dialog::ServiceUsageList;
use mail_services_web::components::service_dialog::ServiceDialog;
use mail_services_web::components::settings_bar::SettingsBar;
use mail_services_web::i18n::{
    I18n, I18nLocaleTrait, Locale, STORAGE_KEY, choose, forget, preferred_of, provide_i18n,
    remembered, time_of_day,
};
use mail_services_web::pages::admin_services::SettingsEditor;
use mail_services_web::session::{Session, SessionState};
use support::{
    administrator, button_named, find, focused, go_to, labelled, mount, sleep, table_rows, texts,
    type_into, wait_for,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// As on a first visit: no language chosen in this browser (the test browsers prefer English).
fn first_visit() {
    forget();
}

/// As if `locale` had been chosen on an earlier visit.
fn chosen_earlier(locale: Locale) {
    window()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item(STORAGE_KEY, locale.as_str())
        .unwrap();
}

/// Mounts `view` under the app's language context, as the app's pages are; returns the page and
/// the context, to switch the language as the top bar does.
fn mount_with_language<N: IntoView + 'static>(
    view: impl FnOnce() -> N + 'static,
) -> (HtmlElement, I18n) {
    let context = Rc::new(Cell::new(None));
    let provided = context.clone();
    let root = mount(move || {
        provided.set(Some(provide_i18n()));
        view()
    });
    (
        root,
        context.get().expect("the language context was provided"),
    )
}

/// The whole app (its router, top bar and pages) at `path`, with an administrator signed in.
fn app_at(path: &str) -> HtmlElement {
    go_to(path);
    mount(|| {
        provide_context(Session::new(SessionState::SignedIn(administrator())));
        view! { <Pages/> }
    })
}

fn html_lang() -> Option<String> {
    document().document_element().unwrap().get_attribute("lang")
}

/// The top bar's language buttons, as (name, `lang`, pressed), after checking that their group is
/// named `label`.
fn language_buttons(root: &HtmlElement, label: &str) -> Vec<(String, String, bool)> {
    let group = find(root, "header [role=group]");
    let label_id = group.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        document()
            .get_element_by_id(&label_id)
            .and_then(|label| label.text_content())
            .as_deref(),
        Some(label)
    );
    let buttons = group.query_selector_all("button").unwrap();
    (0..buttons.length())
        .map(|i| buttons.item(i).unwrap().unchecked_into::<HtmlElement>())
        .map(|button| {
            (
                button.text_content().unwrap(),
                button.get_attribute("lang").unwrap(),
                button.get_attribute("aria-pressed").as_deref() == Some("true"),
            )
        })
        .collect()
}

/// The top bar's button that chooses the language named `name` (in itself).
fn language_button(root: &HtmlElement, name: &str) -> HtmlElement {
    let group = find(root, "header [role=group]");
    button_named(&group, name).unchecked_into()
}

fn pressed(buttons: &[(String, String, bool)]) -> Vec<&str> {
    buttons
        .iter()
        .filter(|(_, _, pressed)| *pressed)
        .map(|(_, lang, _)| lang.as_str())
        .collect()
}

fn service(id: i64, name: &str, kind: ServiceKind, security: Security, count: u64) -> MailService {
    let host = name.to_lowercase().replace(' ', "");
    let smtp_port = if security == Security::None { 25 } else { 465 };
    MailService {
        id,
        name: name.to_owned(),
        kind,
        smtp: ServerEndpoint::new(format!("smtp.{host}.com"), smtp_port, security),
        imap: ServerEndpoint::new(format!("imap.{host}.com"), 993, Security::Tls),
        hidden: false,
        position: id,
        mailbox_count: count,
    }
}

fn settings() -> SettingsDocument {
    SettingsDocument {
        version: 3,
        allow_manual_entry: true,
        business_process_sending: false,
        services: vec![
            service(1, "Gmail", ServiceKind::Standard, Security::Tls, 1234),
            service(2, "Contoso Mail", ServiceKind::Corporate, Security::None, 2),
        ],
    }
}

fn usage(count: usize) -> ServiceUsage {
    ServiceUsage {
        service_id: 2,
        mailboxes: (0..count)
            .map(|n| ServiceMailbox {
                user_display_name: format!("Person {n}"),
                user_login: format!("person{n}"),
                address: format!("person{n}@contoso.com"),
            })
            .collect(),
    }
}

/// The text that counts the mailboxes in the delete confirmation, for `count` mailboxes.
async fn usage_heading(count: usize) -> String {
    let (root, _) = mount_with_language(move || {
        view! { <ServiceUsageList name="Contoso".to_owned() usage=usage(count)/> }
    });
    sleep(0).await;
    texts(&root, ".usage-count").join(" ")
}

/// Issue 8: a page in Russian, with the product's own terms and numbers written the Russian way.
#[wasm_bindgen_test]
async fn the_settings_page_is_in_russian_when_russian_was_chosen() {
    first_visit();
    chosen_earlier(Locale::ru);
    let (root, _) = mount_with_language(|| view! { <SettingsEditor document=settings()/> });
    assert_eq!(
        texts(&root, "thead th"),
        [
            "Название",
            "SMTP сервер",
            "IMAP сервер",
            "Видимость",
            "Почтовые ящики",
            "Действия"
        ]
    );
    let rows = table_rows(&root);
    assert_eq!(
        rows[0][..4],
        [
            "Gmail Стандартный",
            "smtp.gmail.com:465 TLS",
            "imap.gmail.com:993 TLS",
            "Показан"
        ]
    );
    assert_eq!(rows[1][0], "Contoso Mail Корпоративный");
    assert_eq!(rows[1][1], "smtp.contosomail.com:25 Нет", "None is «Нет»");
    let count = find(&root, "tbody tr td.count").text_content().unwrap();
    assert_eq!(count, "1\u{a0}234", "a no-break space groups the digits");
    let manual: HtmlInputElement = labelled(
        &root,
        "Разрешить вводить реквизиты почтового сервера вручную",
    );
    assert!(manual.checked());
    assert_eq!(
        texts(&root, "h2"),
        ["Политики компании", "Почтовые сервисы"]
    );
    button_named(&root, "+ Добавить");

    button_named(&root, "Скрыть Gmail").click();
    sleep(0).await;
    assert_eq!(texts(&root, "tbody .change-tag"), ["Будет скрыт"]);
    assert_eq!(
        texts(&root, ".settings-bar-count"),
        ["Несохранённые изменения (1)"]
    );
    let bar = find(&root, ".settings-bar");
    assert_eq!(
        bar.get_attribute("aria-label").as_deref(),
        Some("Несохранённые изменения")
    );
    forget();
}

/// Issue 8: a dialog in Russian, its validation messages from the core crate in Russian too.
#[wasm_bindgen_test]
async fn the_service_dialog_is_in_russian_with_russian_validation_messages() {
    first_visit();
    chosen_earlier(Locale::ru);
    let (root, _) = mount_with_language(|| {
        view! {
            <ServiceDialog
                other_names=vec![]
                on_apply=Callback::new(|_| {})
                on_cancel=Callback::new(|()| {})
            />
        }
    });
    assert_eq!(texts(&root, "h2"), ["Добавление почтового сервиса"]);
    let name: HtmlInputElement = labelled(&root, "Название");
    let imap: HtmlInputElement = labelled(&root, "IMAP сервер");
    let security: HtmlSelectElement = labelled(&root, "Защита соединения для SMTP");
    assert_eq!(
        texts(&security, "option"),
        ["Нет", "STARTTLS", "TLS"],
        "the seed's «Нет» for no encryption"
    );
    type_into(&name, "Fabrikam");
    type_into(&imap, "imap.fabrikam.com");
    sleep(0).await;
    let messages = texts(&root, ".message-error p").join(" ");
    assert!(
        messages.starts_with("Ошибка: IMAP сервер: не указан порт."),
        "{messages}"
    );
    button_named(&root, "Использовать imap.fabrikam.com:993");
    assert_eq!(
        texts(&root, ".required-note"),
        ["Поля, отмеченные *, обязательны."]
    );
    button_named(&root, "Добавить").click();
    sleep(0).await;
    button_named(&root, "Отмена");
    assert_eq!(
        texts(&root, ".dialog-status"),
        ["Чтобы продолжить, исправьте поля с пометкой «Ошибка»."]
    );
    forget();
}

/// Issue 8: the top bar's switch changes every text at once, `<html lang>` and the title with it,
/// keeps the keyboard focus, and names each language in itself.
#[wasm_bindgen_test]
async fn switching_the_language_in_the_top_bar_changes_the_page_at_once() {
    first_visit();
    let root = app_at("/");
    sleep(0).await;
    assert_eq!(
        find(&root, "main h1").text_content().unwrap(),
        "Mail services"
    );
    assert_eq!(html_lang().as_deref(), Some("en"));
    let buttons = language_buttons(&root, "Language");
    assert_eq!(
        buttons,
        [
            ("English".to_owned(), "en".to_owned(), true),
            ("Русский".to_owned(), "ru".to_owned(), false)
        ],
        "each language named in itself, marked with its lang, the current one pressed"
    );

    let russian = language_button(&root, "Русский");
    russian.focus().unwrap();
    russian.click();
    sleep(0).await;
    assert_eq!(
        find(&root, "main h1").text_content().unwrap(),
        "Почтовые сервисы"
    );
    assert_eq!(
        texts(&root, "header nav a"),
        [
            "Мои почтовые ящики",
            "Подключить почтовый ящик",
            "Настройка сервисов"
        ]
    );
    assert_eq!(texts(&root, "header .account button"), ["Выйти"]);
    assert_eq!(html_lang().as_deref(), Some("ru"));
    assert_eq!(document().title(), "Начало — Почтовые сервисы");
    assert_eq!(pressed(&language_buttons(&root, "Язык")), ["ru"]);
    assert_eq!(
        focused(),
        Some(russian.clone().unchecked_into()),
        "the button keeps the focus"
    );

    language_button(&root, "English").click();
    sleep(0).await;
    assert_eq!(
        find(&root, "main h1").text_content().unwrap(),
        "Mail services"
    );
    assert_eq!(html_lang().as_deref(), Some("en"));
    assert_eq!(document().title(), "Start — Mail services");
    forget();
}

/// Issue 8: the chosen language is remembered in this browser and applied at the next start.
#[wasm_bindgen_test]
async fn the_chosen_language_is_remembered_for_the_next_start() {
    first_visit();
    let first = app_at("/");
    sleep(0).await;
    assert_eq!(remembered(), None, "nothing is stored before a choice");
    language_button(&first, "Русский").click();
    sleep(0).await;
    assert_eq!(remembered(), Some(Locale::ru));

    let next = app_at("/");
    assert_eq!(
        find(&next, "header .product").text_content().unwrap(),
        "Почтовые сервисы",
        "in Russian from the first paint"
    );
    assert_eq!(
        wait_for(&next, "main h1").await.text_content().unwrap(),
        "Почтовые сервисы"
    );
    assert_eq!(pressed(&language_buttons(&next, "Язык")), ["ru"]);
    sleep(0).await;
    assert_eq!(html_lang().as_deref(), Some("ru"));

    forget();
    let after_forgetting = app_at("/");
    assert_eq!(
        wait_for(&after_forgetting, "main h1")
            .await
            .text_content()
            .unwrap(),
        "Mail services"
    );
}

/// SPEC 4 and issue 8: the validation messages beside a field switch language with the page,
/// and what was typed stays.
#[wasm_bindgen_test]
async fn validation_messages_switch_language_live() {
    first_visit();
    let (root, i18n) = mount_with_language(|| {
        view! {
            <ServiceDialog
                other_names=vec![]
                on_apply=Callback::new(|_| {})
                on_cancel=Callback::new(|()| {})
            />
        }
    });
    let imap: HtmlInputElement = labelled(&root, "IMAP server");
    type_into(&imap, "imap.fabrikam.com");
    sleep(0).await;
    let english = texts(&root, ".message-error p").join(" ");
    assert!(
        english.starts_with("Error: IMAP server: the port is missing."),
        "{english}"
    );

    choose(i18n, Locale::ru);
    sleep(0).await;
    let russian = texts(&root, ".message-error p").join(" ");
    assert!(
        russian.starts_with("Ошибка: IMAP сервер: не указан порт."),
        "{russian}"
    );
    assert_eq!(imap.value(), "imap.fabrikam.com");
    assert_eq!(
        texts(&root, ".fixes button, .message-error button"),
        ["Использовать imap.fabrikam.com:993"]
    );
    forget();
}

/// Issue 8: Russian counts take the plural form CLDR gives them (1, 21: one; 2–4, 22: few;
/// 5–20: many), English ones theirs.
#[wasm_bindgen_test]
async fn counts_take_the_plural_form_of_the_language() {
    first_visit();
    assert_eq!(usage_heading(1).await, "1 mailbox uses Contoso:");
    assert_eq!(usage_heading(2).await, "2 mailboxes use Contoso:");

    chosen_earlier(Locale::ru);
    let expected = [
        (1, "1 почтовый ящик подключён через Contoso:"),
        (2, "2 почтовых ящика подключены через Contoso:"),
        (5, "5 почтовых ящиков подключены через Contoso:"),
        (11, "11 почтовых ящиков подключены через Contoso:"),
        (21, "21 почтовый ящик подключён через Contoso:"),
        (22, "22 почтовых ящика подключены через Contoso:"),
    ];
    for (count, text) in expected {
        assert_eq!(usage_heading(count).await, text, "{count} mailboxes");
    }
    forget();
}

/// Issue 8: the unsaved-changes bar asks about the changes with their plural form too.
#[wasm_bindgen_test]
async fn the_discard_question_takes_the_plural_form_of_the_language() {
    first_visit();
    chosen_earlier(Locale::ru);
    let expected = [
        (1, "Отменить несохранённое изменение?"),
        (2, "Отменить все 2 несохранённых изменения?"),
        (5, "Отменить все 5 несохранённых изменений?"),
        (11, "Отменить все 11 несохранённых изменений?"),
        (21, "Отменить все 21 несохранённое изменение?"),
        (22, "Отменить все 22 несохранённых изменения?"),
    ];
    for (count, question) in expected {
        let (root, _) = mount_with_language(move || {
            view! {
                <SettingsBar
                    count=Signal::stored(count)
                    saving=Signal::stored(false)
                    on_save=Callback::new(|()| {})
                    on_discard=Callback::new(|()| {})
                />
            }
        });
        assert_eq!(
            texts(&root, ".settings-bar-count"),
            [format!("Несохранённые изменения ({count})")]
        );
        button_named(&root, "Отменить изменения").click();
        sleep(0).await;
        assert_eq!(
            texts(&root, ".settings-bar-question"),
            [question],
            "{count} changes"
        );
    }
    forget();
}

/// Issue 8: numbers are written as the language writes them: `1,234` in English.
#[wasm_bindgen_test]
async fn english_numbers_are_grouped_with_commas() {
    first_visit();
    let (root, _) = mount_with_language(|| view! { <SettingsEditor document=settings()/> });
    let count = find(&root, "tbody tr td.count").text_content().unwrap();
    assert_eq!(count, "1,234");
}

/// Before any choice the browser's preference decides: the first of its languages the app has.
#[wasm_bindgen_test]
fn the_first_language_of_the_browser_that_the_app_has_decides() {
    let languages = |tags: &[&str]| tags.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    assert_eq!(preferred_of(&languages(&["ru-RU", "en-US"])), Locale::ru);
    assert_eq!(preferred_of(&languages(&["de-DE", "ru", "en"])), Locale::ru);
    assert_eq!(preferred_of(&languages(&["en-GB", "ru"])), Locale::en);
    assert_eq!(preferred_of(&languages(&["de", "fr"])), Locale::en);
    assert_eq!(preferred_of(&languages(&[])), Locale::en);
}

/// Issue 8: every request names the interface language, so the server answers in it.
#[wasm_bindgen_test]
async fn requests_ask_the_server_to_answer_in_the_interface_language() {
    first_visit();
    let window = window();
    let original = js_sys::Reflect::get(&window, &"fetch".into()).unwrap();
    let recorder = js_sys::Function::new_with_args(
        "request",
        "globalThis.acceptLanguages = (globalThis.acceptLanguages || []).concat(\
         [request.headers.get('Accept-Language')]);\
         return Promise.resolve(new Response('{}', { status: 500 }));",
    );
    js_sys::Reflect::set(&window, &"fetch".into(), &recorder).unwrap();
    let sign_in = SignIn {
        login: "anna".into(),
        password: Password::new("secret".to_owned()),
    };

    chosen_earlier(Locale::ru);
    let (_, i18n) = mount_with_language(|| ());
    api::current_user().await.unwrap_err();
    api::sign_in(&sign_in).await.unwrap_err();
    choose(i18n, Locale::en);
    sleep(0).await;
    api::current_user().await.unwrap_err();

    js_sys::Reflect::set(&window, &"fetch".into(), &original).unwrap();
    let recorded = js_sys::Reflect::get(&window, &"acceptLanguages".into()).unwrap();
    let recorded: Vec<Option<String>> = js_sys::Array::from(&recorded)
        .iter()
        .map(|value| value.as_string())
        .collect();
    assert_eq!(
        recorded,
        [Some("ru".into()), Some("ru".into()), Some("en".into())]
    );
    forget();
}

/// A time of day as each language writes it: 12-hour with AM/PM in English, 24-hour in Russian
/// (whose morning hours Chromium writes as "9:30" and Firefox as "09:30": their CLDR data differ).
#[wasm_bindgen_test]
fn a_time_of_day_is_written_as_each_language_writes_it() {
    // 2026-11-21 at 14:05 local time, and 09:30 the same day.
    for (hour, minute, english, russian) in [
        (14, 5, "2:05 PM", ["14:05", "14:05"]),
        (9, 30, "9:30 AM", ["9:30", "09:30"]),
    ] {
        let date = js_sys::Date::new_with_year_month_day_hr_min(2026, 10, 21, hour, minute);
        let at = date.get_time();
        let said = time_of_day(Locale::en, at).replace(['\u{202f}', '\u{a0}'], " ");
        assert_eq!(said, english);
        let said = time_of_day(Locale::ru, at);
        assert!(
            russian.contains(&said.as_str()),
            "{said:?} is not one of {russian:?}"
        );
    }
}
