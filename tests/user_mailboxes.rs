//! Browser tests of the user's pages: the picker and the connect form (SPEC U1–U3), the list of
//! mailboxes with the server-deleted notification (SPEC U4, A4), and the business-process
//! preference (SPEC U5). Components get their data through props: the test server has no `/api`.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use mail_core::{
    ApiErrorBody, BusinessProcessPreference, BusinessProcessSending, ConnectMailbox,
    ConnectThrough, FieldError, MailboxConnection, MailboxServer, MailboxStatus, Picker,
    PickerService, Security, ServerEndpoint,
};
use mail_services_web::api::ApiError;
use mail_services_web::pages::connect_mailbox::{ConnectDraft, ConnectForm};
use mail_services_web::pages::my_mailboxes::{
    BusinessProcessChoice, MailboxList, ServerDeletedNotice,
};
use support::{
    button_named, find, focused, ids_labelled, labelled, marked_invalid, mount, sleep, texts,
    type_into,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlFormElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn picker(names: &[(i64, &str)], other_allowed: bool) -> Picker {
    Picker {
        services: names
            .iter()
            .map(|(id, name)| PickerService {
                id: *id,
                name: (*name).to_owned(),
            })
            .collect(),
        other_allowed,
    }
}

/// A mounted connect form, with the signals a test drives it by and every request it sent.
struct Form {
    root: HtmlElement,
    error: RwSignal<Option<ApiError>>,
    pending: RwSignal<bool>,
    sent: RwSignal<Vec<ConnectMailbox>>,
}

fn mount_form(picker: Picker) -> Form {
    let error = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let sent = RwSignal::new(Vec::new());
    let root = mount(move || {
        view! {
            <ConnectForm
                picker
                draft=ConnectDraft::new()
                pending
                error
                on_submit=Callback::new(move |request| sent.update(|all| all.push(request)))
            />
        }
    });
    Form {
        root,
        error,
        pending,
        sent,
    }
}

impl Form {
    fn choice(&self, label: &str) -> HtmlInputElement {
        labelled(&self.root, label)
    }

    fn pick(&self, label: &str) {
        self.choice(label).click();
    }

    fn field(&self, label: &str) -> HtmlInputElement {
        labelled(&self.root, label)
    }

    fn submit(&self) {
        find(&self.root, "form")
            .unchecked_into::<HtmlFormElement>()
            .request_submit()
            .unwrap();
    }
}

fn radio_labels(root: &HtmlElement) -> Vec<String> {
    texts(root, "fieldset.picker label")
}

#[wasm_bindgen_test]
async fn the_picker_offers_the_given_services_in_order_and_other_only_when_allowed() {
    // SPEC U1: the server leaves hidden services out; the picker shows exactly what it gets.
    let form = mount_form(picker(
        &[(3, "Yahoo"), (1, "Gmail"), (12, "Contoso Mail")],
        true,
    ));
    assert_eq!(
        radio_labels(&form.root),
        ["Yahoo", "Gmail", "Contoso Mail", "Other"]
    );
    assert_eq!(
        texts(&form.root, "fieldset.picker legend"),
        ["Email service"]
    );
    let radios = form
        .root
        .query_selector_all("fieldset.picker input[type=radio]")
        .unwrap();
    assert_eq!(radios.length(), 4);

    let form = mount_form(picker(&[(1, "Gmail")], false));
    assert_eq!(radio_labels(&form.root), ["Gmail"]);
}

#[wasm_bindgen_test]
async fn choosing_a_service_asks_for_the_address_and_a_new_password_and_sends_them() {
    let form = mount_form(picker(&[(3, "Yahoo"), (1, "Gmail")], true));
    assert!(
        form.root
            .query_selector("input[type=password]")
            .unwrap()
            .is_none(),
        "no fields before a choice"
    );
    form.submit();
    sleep(20).await;
    assert!(
        texts(&form.root, ".picker-messages")
            .join(" ")
            .contains("Choose your email service"),
        "{}",
        form.root.inner_html()
    );
    assert_eq!(
        focused(),
        Some(form.choice("Yahoo").unchecked_into()),
        "the focus goes to the choice to make"
    );
    form.pick("Yahoo");
    sleep(20).await;
    let password = form.field("Mailbox password");
    assert_eq!(password.type_(), "password");
    assert_eq!(
        password.get_attribute("autocomplete").as_deref(),
        Some("new-password")
    );
    assert!(
        form.root.query_selector(".server-field").unwrap().is_none(),
        "no server fields for a listed service"
    );
    // Empty fields are refused in the browser, each beside its field.
    form.submit();
    sleep(20).await;
    let messages = texts(&form.root, ".field-messages .message-error").join(" ");
    assert!(
        messages.contains("Enter the mailbox address or login."),
        "{messages}"
    );
    assert!(
        messages.contains("Enter the mailbox password."),
        "{messages}"
    );
    assert!(form.sent.get_untracked().is_empty());

    // The server's rule, from core, is the browser's too: a space inside the address is refused
    // before anything is sent.
    type_into(&form.field("Mailbox address or login"), "anna @yahoo.com");
    type_into(&password, "secret");
    form.submit();
    sleep(20).await;
    assert!(form.sent.get_untracked().is_empty());
    assert_eq!(
        texts(&form.root, ".field-messages .message-error"),
        ["Error: Remove the spaces and line breaks from the mailbox address."]
    );

    type_into(&form.field("Mailbox address or login"), " anna@yahoo.com ");
    type_into(&password, "secret");
    form.submit();
    sleep(20).await;
    let sent = form.sent.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].address, "anna@yahoo.com");
    assert_eq!(sent[0].password.expose(), "secret");
    assert_eq!(sent[0].server, ConnectThrough::Service { id: 3 });

    // While connecting, the button says so and cannot be pressed again.
    form.pending.set(true);
    sleep(20).await;
    let button = button_named(&form.root, "Connecting…");
    assert!(button.disabled());
}

/// Choosing "Other" does not say "correct the fields marked Error" with none marked: Connect
/// stays enabled, and pressing it marks every empty field and takes the focus to the first.
#[wasm_bindgen_test]
async fn pressing_connect_on_an_empty_other_form_marks_every_missing_field() {
    let form = mount_form(picker(&[(1, "Gmail")], true));
    form.pick("Other");
    sleep(20).await;
    assert!(!button_named(&form.root, "Connect").disabled());
    assert!(texts(&form.root, "[role=status]").join("").is_empty());
    assert!(marked_invalid(&form.root).is_empty());
    assert_eq!(
        texts(&form.root, ".required-note"),
        ["Fields marked * are required."]
    );

    form.submit();
    sleep(50).await;
    assert!(form.sent.get_untracked().is_empty());
    assert_eq!(
        marked_invalid(&form.root),
        ids_labelled(
            &form.root,
            &[
                "Mailbox address or login",
                "Mailbox password",
                "SMTP server",
                "IMAP server",
            ]
        )
    );
    assert_eq!(
        focused(),
        Some(form.field("Mailbox address or login").unchecked_into())
    );
    assert!(
        texts(&form.root, "[role=status]")
            .join(" ")
            .contains("Correct the fields marked “Error” to continue.")
    );
}

#[wasm_bindgen_test]
async fn other_server_errors_block_connect_and_warnings_do_not() {
    let form = mount_form(picker(&[(1, "Gmail")], true));
    form.pick("Other");
    sleep(20).await;
    type_into(&form.field("Mailbox address or login"), "me@li-family.net");
    type_into(&form.field("Mailbox password"), "secret");
    let smtp = form.field("SMTP server");
    let imap = form.field("IMAP server");
    type_into(&smtp, "mail.li-family.net:465");
    // No port: an error, with the usual port one click away.
    type_into(&imap, "mail.li-family.net");
    sleep(20).await;
    assert_eq!(imap.get_attribute("aria-invalid").as_deref(), Some("true"));
    // Connect stays in the Tab order; pressed now, it sends nothing and points at the error.
    assert!(!button_named(&form.root, "Connect").disabled());
    form.submit();
    sleep(50).await;
    assert!(form.sent.get_untracked().is_empty(), "errors block sending");
    assert_eq!(focused(), Some(imap.clone().unchecked_into()));
    assert!(
        texts(&form.root, "[role=status]")
            .join(" ")
            .contains("Correct the fields marked “Error” to continue.")
    );

    button_named(&form.root, "Use mail.li-family.net:993").click();
    sleep(20).await;
    assert_eq!(imap.value(), "mail.li-family.net:993");
    assert!(texts(&form.root, "[role=status]").join("").is_empty());

    // A port that does not go with the security is only a warning: Connect stays enabled.
    type_into(&smtp, "mail.li-family.net:2525");
    sleep(20).await;
    assert!(
        !texts(&form.root, ".message-warning").is_empty(),
        "{}",
        form.root.inner_html()
    );
    assert!(!button_named(&form.root, "Connect").disabled());
    form.submit();
    sleep(20).await;
    let sent = form.sent.get_untracked();
    assert_eq!(sent.len(), 1);
    let ConnectThrough::Manual { smtp, imap } = &sent[0].server else {
        panic!("expected a manual connection, got {:?}", sent[0].server);
    };
    assert_eq!(smtp.address, "mail.li-family.net:2525");
    assert_eq!(imap.address, "mail.li-family.net:993");
    assert_eq!(imap.security, Security::Tls);
}

#[wasm_bindgen_test]
async fn the_servers_answer_is_shown_where_it_belongs() {
    let form = mount_form(picker(&[(1, "Gmail")], true));
    form.pick("Gmail");
    sleep(20).await;
    type_into(&form.field("Mailbox address or login"), "anna@gmail.com");
    type_into(&form.field("Mailbox password"), "secret");
    form.submit();
    sleep(20).await;
    assert_eq!(form.sent.get_untracked().len(), 1);

    let mut body = ApiErrorBody::new("validation_failed", "Correct the marked fields.");
    body.fields.push(FieldError {
        field: "password".into(),
        code: "too_long".into(),
        message: "The password is too long: use at most 1024 characters.".into(),
    });
    form.error.set(Some(ApiError::new(Some(422), body)));
    sleep(20).await;
    let password = form.field("Mailbox password");
    assert_eq!(
        password.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    let described: HtmlElement = find(
        &form.root,
        &format!("#{}", password.get_attribute("aria-describedby").unwrap()),
    );
    assert!(
        described
            .text_content()
            .unwrap()
            .contains("The password is too long"),
        "{}",
        described.inner_html()
    );
    // Editing the field takes the server's message away.
    type_into(&password, "shorter");
    sleep(20).await;
    assert_eq!(
        password.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );

    form.error.set(Some(ApiError::new(
        Some(409),
        ApiErrorBody::new(
            "already_connected",
            "This mailbox is already connected. Disconnect it first if you want to connect it differently.",
        ),
    )));
    sleep(20).await;
    let address = form.field("Mailbox address or login");
    assert_eq!(
        address.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );

    form.error.set(Some(ApiError::new(
        Some(409),
        ApiErrorBody::new(
            "service_hidden",
            "Your administrator no longer allows new connections through this service. Choose another service.",
        ),
    )));
    sleep(20).await;
    let alert = texts(&form.root, ".picker-messages").join(" ");
    assert!(
        alert.contains("Not allowed by your administrator"),
        "{alert}"
    );
    assert!(alert.contains("choose another service"), "{alert}");
    // What was typed is kept.
    assert_eq!(
        form.field("Mailbox address or login").value(),
        "anna@gmail.com"
    );
}

fn mailbox(
    id: i64,
    address: &str,
    server: MailboxServer,
    status: MailboxStatus,
) -> MailboxConnection {
    MailboxConnection {
        id,
        address: address.into(),
        server,
        status,
        has_password: true,
    }
}

fn demo_mailboxes() -> Vec<MailboxConnection> {
    vec![
        mailbox(
            1,
            "chen@contoso.com",
            MailboxServer::Service {
                id: 11,
                name: "Contoso Branch Office".into(),
            },
            MailboxStatus::ServerDeleted,
        ),
        mailbox(
            2,
            "chen@li-family.net",
            MailboxServer::Manual {
                smtp: ServerEndpoint::new("mail.li-family.net", 465, Security::Tls),
                imap: ServerEndpoint::new("mail.li-family.net", 993, Security::Tls),
            },
            MailboxStatus::Active,
        ),
    ]
}

#[wasm_bindgen_test]
async fn each_mailbox_shows_its_service_and_status_and_can_be_disconnected() {
    let asked = RwSignal::new(Vec::<i64>::new());
    let root = mount(move || {
        view! {
            <MailboxList
                mailboxes=demo_mailboxes()
                on_disconnect=Callback::new(move |m: MailboxConnection| asked.update(|a| a.push(m.id)))
            />
        }
    });
    assert_eq!(
        support::table_rows(&root),
        [
            vec![
                "chen@contoso.com",
                "Contoso Branch Office",
                "Server deleted by your administrator",
                "Disconnect chen@contoso.com"
            ],
            vec![
                "chen@li-family.net",
                "Other: SMTP mail.li-family.net:465 / IMAP mail.li-family.net:993",
                "Active",
                "Disconnect chen@li-family.net"
            ],
        ]
    );
    button_named(&root, "Disconnect chen@li-family.net").click();
    assert_eq!(asked.get_untracked(), [2]);
}

#[wasm_bindgen_test]
async fn no_mailboxes_yet_offers_to_connect_one() {
    let root =
        mount(|| view! { <MailboxList mailboxes=Vec::new() on_disconnect=Callback::new(|_| ())/> });
    assert_eq!(
        texts(&root, ".empty"),
        ["No mailboxes yet — Connect a mailbox"]
    );
    assert_eq!(texts(&root, "a"), ["Connect a mailbox"]);
}

#[wasm_bindgen_test]
async fn a_mailbox_whose_server_was_deleted_is_announced_as_an_error() {
    // SPEC A4: named, why it was interrupted, and that earlier mail is still there.
    let root = mount(|| view! { <ServerDeletedNotice mailboxes=demo_mailboxes()/> });
    let alert = find(&root, "[role=alert]");
    let text = alert.text_content().unwrap();
    assert!(
        text.contains("chen@contoso.com (Contoso Branch Office)"),
        "{text}"
    );
    assert!(!text.contains("chen@li-family.net"), "{text}");
    assert!(
        text.contains(
            "The connection was interrupted because your administrator removed the mail server"
        ),
        "{text}"
    );
    assert!(
        text.contains("Mail received earlier is still there."),
        "{text}"
    );

    let all_active: Vec<_> = demo_mailboxes().into_iter().skip(1).collect();
    let root = mount(move || view! { <ServerDeletedNotice mailboxes=all_active/> });
    assert!(root.query_selector("[role=alert]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_business_process_preference_shows_what_is_in_effect_and_saves_on_change() {
    let current = RwSignal::new(BusinessProcessSending {
        preference: BusinessProcessPreference::Inherit,
        company_allows: true,
        effective: true,
    });
    let saving = RwSignal::new(None);
    let error = RwSignal::new(None);
    let chosen = RwSignal::new(Vec::new());
    let root = mount(move || {
        view! {
            <BusinessProcessChoice
                current
                saving
                error
                on_change=Callback::new(move |p| chosen.update(|c| c.push(p)))
            />
        }
    });
    assert_eq!(
        texts(&root, "label"),
        [
            "Use the company setting (currently: allowed)",
            "Allow",
            "Deny"
        ]
    );
    let inherit: HtmlInputElement = labelled(&root, "Use the company setting (currently: allowed)");
    assert!(inherit.checked());
    assert!(texts(&root, ".effect")[0].contains("may send"));

    let deny: HtmlInputElement = labelled(&root, "Deny");
    deny.click();
    assert_eq!(chosen.get_untracked(), [BusinessProcessPreference::Deny]);
    saving.set(Some(BusinessProcessPreference::Deny));
    sleep(20).await;
    assert!(deny.checked());
    assert!(deny.disabled(), "no second change while saving");
    assert_eq!(texts(&root, "[role=status]"), ["Saving…"]);

    // The save failed: the saved choice shows again, with why and what to do.
    saving.set(None);
    error.set(Some(ApiError::new(
        None,
        ApiErrorBody::new("unreachable", "Cannot reach the server."),
    )));
    sleep(20).await;
    assert!(inherit.checked());
    let alert = texts(&root, "[role=alert]").join(" ");
    assert!(alert.contains("Your choice could not be saved"), "{alert}");
    assert!(alert.contains("Choose again to retry."), "{alert}");

    // Saved: the server's answer is what is shown.
    error.set(None);
    current.set(BusinessProcessSending {
        preference: BusinessProcessPreference::Deny,
        company_allows: true,
        effective: false,
    });
    sleep(20).await;
    assert!(deny.checked());
    assert!(texts(&root, ".effect")[0].contains("may not send"));
}
