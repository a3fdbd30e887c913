//! The staged changes of the settings page (SPEC A8), in the browser that runs them.
#![cfg(target_arch = "wasm32")]

use mail_core::{
    MailService, Security, ServerEndpoint, ServiceKind, ServiceUpdate, SettingsDocument,
    ValidService,
};
use mail_services_web::staging::{Conflict, FieldValue, RowChange, RowKey, Staged};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn service(id: i64, name: &str, kind: ServiceKind) -> MailService {
    MailService {
        id,
        name: name.to_owned(),
        kind,
        smtp: ServerEndpoint::new(format!("smtp.{id}.example"), 465, Security::Tls),
        imap: ServerEndpoint::new(format!("imap.{id}.example"), 993, Security::Tls),
        hidden: false,
        position: id,
        mailbox_count: 0,
    }
}

fn document(version: i64) -> SettingsDocument {
    SettingsDocument {
        version,
        allow_manual_entry: true,
        business_process_sending: true,
        services: vec![
            service(1, "Gmail", ServiceKind::Standard),
            service(2, "Contoso", ServiceKind::Corporate),
        ],
    }
}

fn valid(name: &str) -> ValidService {
    ValidService {
        name: name.to_owned(),
        smtp: ServerEndpoint::new("smtp.new.example", 587, Security::StartTls),
        imap: ServerEndpoint::new("imap.new.example", 993, Security::Tls),
    }
}

#[wasm_bindgen_test]
fn a_fresh_page_has_no_changes_and_saves_the_document_as_it_is() {
    let staged = Staged::new(document(3));
    assert!(!staged.has_changes());
    assert_eq!(staged.change_count(), 0);
    let update = staged.to_update();
    assert!(matches!(
        update.services[0],
        ServiceUpdate::Standard {
            id: 1,
            hidden: false
        }
    ));
    assert!(
        matches!(&update.services[1], ServiceUpdate::Corporate { id: Some(2), draft, .. } if draft.smtp.address == "smtp.2.example:465")
    );
}

#[wasm_bindgen_test]
fn each_kind_of_change_is_staged_and_marked() {
    let mut staged = Staged::new(document(3));
    let added = staged.add(valid("Fabrikam"));
    staged.set_hidden(RowKey::Saved(1), true);
    staged.edit(RowKey::Saved(2), valid("Contoso HQ"));
    staged.allow_manual_entry = false;
    let marks: Vec<RowChange> = staged
        .rows()
        .iter()
        .map(|row| staged.change_of(row))
        .collect();
    assert_eq!(
        marks,
        [RowChange::Visibility, RowChange::Edited, RowChange::Added]
    );
    assert_eq!(staged.change_count(), 4);
    staged.delete(RowKey::Saved(2));
    assert_eq!(
        staged.change_of(staged.row(RowKey::Saved(2)).unwrap()),
        RowChange::Deleted
    );
    staged.delete(added);
    assert!(
        staged.row(added).is_none(),
        "an unsaved service simply goes"
    );
    let update = staged.to_update();
    assert!(!update.allow_manual_entry);
    assert_eq!(
        update.services.len(),
        1,
        "the deleted corporate service is left out: {update:?}"
    );
}

#[wasm_bindgen_test]
fn standard_services_are_neither_edited_nor_deleted() {
    let mut staged = Staged::new(document(3));
    staged.edit(RowKey::Saved(1), valid("Not Gmail"));
    staged.delete(RowKey::Saved(1));
    assert!(!staged.has_changes());
}

#[wasm_bindgen_test]
fn undoing_a_change_by_hand_leaves_nothing_to_save() {
    let mut staged = Staged::new(document(3));
    staged.set_hidden(RowKey::Saved(2), true);
    staged.set_hidden(RowKey::Saved(2), false);
    staged.delete(RowKey::Saved(2));
    staged.restore(RowKey::Saved(2));
    assert!(!staged.has_changes());
}

#[wasm_bindgen_test]
fn names_to_avoid_leave_out_the_edited_and_the_deleted_service() {
    let mut staged = Staged::new(document(3));
    assert_eq!(staged.other_names(Some(RowKey::Saved(2))), ["Gmail"]);
    staged.delete(RowKey::Saved(2));
    assert_eq!(
        staged.other_names(None),
        ["Gmail"],
        "a deleted name can be used again"
    );
}

/// SPEC A8: after another administrator saved, the same changes are replayed on their document.
#[wasm_bindgen_test]
fn changes_are_replayed_onto_a_newer_document() {
    let mut mine = Staged::new(document(3));
    mine.add(valid("Fabrikam"));
    mine.set_hidden(RowKey::Saved(1), true);
    mine.edit(RowKey::Saved(2), valid("Contoso HQ"));
    mine.business_process_sending = false;

    let mut theirs = document(4);
    theirs.allow_manual_entry = false;
    theirs
        .services
        .push(service(3, "Northwind", ServiceKind::Corporate));
    let (rebased, conflicts) = mine.rebase(theirs);
    assert!(conflicts.is_empty());
    assert_eq!(rebased.base().version, 4);
    assert!(!rebased.allow_manual_entry, "their switch stays");
    assert!(!rebased.business_process_sending, "my switch is replayed");
    let names: Vec<&str> = rebased.rows().iter().map(|row| row.name.as_str()).collect();
    assert_eq!(names, ["Gmail", "Contoso HQ", "Northwind", "Fabrikam"]);
    assert!(rebased.row(RowKey::Saved(1)).unwrap().hidden);
}

#[wasm_bindgen_test]
fn an_edit_of_a_service_another_administrator_deleted_is_reported() {
    let mut mine = Staged::new(document(3));
    mine.edit(RowKey::Saved(2), valid("Contoso HQ"));
    let mut theirs = document(4);
    theirs.services.retain(|s| s.id != 2);
    let (rebased, conflicts) = mine.rebase(theirs);
    assert_eq!(
        conflicts,
        [Conflict::ServiceGone {
            name: "Contoso HQ".to_owned()
        }]
    );
    assert!(!rebased.has_changes());
}

/// SPEC A8: a row's Undo takes back all its changes; an added row goes.
#[wasm_bindgen_test]
fn reverting_a_row_takes_back_all_its_changes() {
    let mut staged = Staged::new(document(3));
    staged.edit(RowKey::Saved(2), valid("Contoso HQ"));
    staged.set_hidden(RowKey::Saved(2), true);
    let added = staged.add(valid("Fabrikam"));
    staged.revert(RowKey::Saved(2));
    assert_eq!(staged.row(RowKey::Saved(2)).unwrap().name, "Contoso");
    assert!(!staged.row(RowKey::Saved(2)).unwrap().hidden);
    staged.revert(added);
    assert!(staged.row(added).is_none());
    assert!(!staged.has_changes());
}

/// SPEC A6, A7: each switch is staged and marked until it is back where it was saved.
#[wasm_bindgen_test]
fn company_policies_are_staged_and_marked_until_set_back() {
    use mail_services_web::staging::Policy;
    let mut staged = Staged::new(document(3));
    for policy in [Policy::AllowManualEntry, Policy::BusinessProcessSending] {
        assert!(staged.policy(policy) && !staged.policy_changed(policy));
        staged.set_policy(policy, false);
        assert!(staged.policy_changed(policy) && staged.has_changes());
        staged.set_policy(policy, true);
        assert!(!staged.policy_changed(policy));
    }
    staged.set_policy(Policy::BusinessProcessSending, false);
    let update = staged.to_update();
    assert!(update.allow_manual_entry && !update.business_process_sending);
}

/// Rows are found by key however the list changed: added rows after removed ones, and rows after
/// a rebase, still answer for themselves.
#[wasm_bindgen_test]
fn each_row_is_found_by_its_key_after_rows_come_and_go() {
    let mut staged = Staged::new(document(3));
    let first = staged.add(valid("Fabrikam"));
    let second = staged.add(valid("Northwind"));
    let third = staged.add(valid("Tailspin"));
    staged.delete(first);
    staged.revert(second);
    assert!(staged.row(first).is_none());
    assert!(staged.row(second).is_none());
    assert_eq!(staged.row(third).unwrap().name, "Tailspin");
    staged.edit(third, valid("Tailspin Toys"));
    staged.set_hidden(RowKey::Saved(2), true);
    assert_eq!(staged.row(third).unwrap().name, "Tailspin Toys");
    assert_eq!(
        staged.change_of(staged.row(third).unwrap()),
        RowChange::Added
    );
    assert_eq!(
        staged.change_of(staged.row(RowKey::Saved(2)).unwrap()),
        RowChange::Visibility
    );
    let keys: Vec<RowKey> = staged.rows().iter().map(|row| row.key).collect();
    assert_eq!(keys, [RowKey::Saved(1), RowKey::Saved(2), third]);

    let mut newer = document(4);
    newer.services.remove(0);
    let (rebased, conflicts) = staged.rebase(newer);
    assert!(conflicts.is_empty());
    assert!(rebased.row(RowKey::Saved(1)).is_none());
    assert!(rebased.row(RowKey::Saved(2)).unwrap().hidden);
    assert_eq!(rebased.row(third).unwrap().name, "Tailspin Toys");
    assert_eq!(rebased.change_count(), 2);
}

/// The service `key` as staged, with only its SMTP server changed to `host`.
fn with_smtp(staged: &Staged, key: RowKey, host: &str) -> ValidService {
    let row = staged.row(key).unwrap();
    ValidService {
        name: row.name.clone(),
        smtp: ServerEndpoint::new(host, 465, Security::Tls),
        imap: row.imap.clone(),
    }
}

const CONTOSO: RowKey = RowKey::Saved(2);

/// Issue 13, item 14: another administrator hid the service, I edited its SMTP server: after the
/// rebase it stays hidden, with my server, and nothing conflicts.
#[wasm_bindgen_test]
fn a_rebase_keeps_their_hide_and_my_smtp_edit() {
    let mut mine = Staged::new(document(3));
    mine.edit(CONTOSO, with_smtp(&mine, CONTOSO, "smtp.mine.example"));
    let mut theirs = document(4);
    theirs.services[1].hidden = true;
    let (rebased, conflicts) = mine.rebase(theirs);
    assert_eq!(conflicts, []);
    let row = rebased.row(CONTOSO).unwrap();
    assert!(row.hidden, "their Hide stays");
    assert_eq!(row.smtp.host, "smtp.mine.example");
    assert_eq!(row.imap.host, "imap.2.example");
    assert_eq!(rebased.change_of(row), RowChange::Edited);
    assert!(matches!(
        &rebased.to_update().services[1],
        ServiceUpdate::Corporate { hidden: true, draft, .. } if draft.smtp.address == "smtp.mine.example:465"
    ));
}

/// Issue 13, item 14, the other way round: I hid it, they edited its SMTP server.
#[wasm_bindgen_test]
fn a_rebase_keeps_their_smtp_edit_and_my_hide() {
    let mut mine = Staged::new(document(3));
    mine.set_hidden(CONTOSO, true);
    let mut theirs = document(4);
    theirs.services[1].smtp = ServerEndpoint::new("smtp.theirs.example", 465, Security::Tls);
    let (rebased, conflicts) = mine.rebase(theirs);
    assert_eq!(conflicts, []);
    let row = rebased.row(CONTOSO).unwrap();
    assert!(row.hidden);
    assert_eq!(row.smtp.host, "smtp.theirs.example");
    assert_eq!(rebased.change_of(row), RowChange::Visibility);
}

/// Issue 13, item 14: a field both changed differently is listed, theirs is kept until I take
/// mine; my other fields of the row are re-applied.
#[wasm_bindgen_test]
fn a_field_both_changed_differently_is_a_conflict_to_decide() {
    let mut mine = Staged::new(document(3));
    let mut edit = with_smtp(&mine, CONTOSO, "smtp.mine.example");
    edit.name = "Contoso HQ".to_owned();
    mine.edit(CONTOSO, edit);
    let mut theirs = document(4);
    theirs.services[1].smtp = ServerEndpoint::new("smtp.theirs.example", 465, Security::Tls);
    let (mut rebased, conflicts) = mine.rebase(theirs);
    let conflict = Conflict::Field {
        key: CONTOSO,
        service: "Contoso".to_owned(),
        theirs: FieldValue::Smtp(ServerEndpoint::new(
            "smtp.theirs.example",
            465,
            Security::Tls,
        )),
        mine: FieldValue::Smtp(ServerEndpoint::new("smtp.mine.example", 465, Security::Tls)),
    };
    assert_eq!(conflicts, std::slice::from_ref(&conflict));
    let row = rebased.row(CONTOSO).unwrap();
    assert_eq!(row.name, "Contoso HQ", "my name, which they left alone");
    assert_eq!(
        row.smtp.host, "smtp.theirs.example",
        "theirs until I decide"
    );
    rebased.take_mine(&conflict);
    assert_eq!(rebased.row(CONTOSO).unwrap().smtp.host, "smtp.mine.example");
}

/// Each field is merged by itself: both changing the name and the IMAP server lists two
/// conflicts, and the same change made by both is none.
#[wasm_bindgen_test]
fn each_field_both_changed_is_listed_and_the_same_change_is_not() {
    let mut mine = Staged::new(document(3));
    let mut edit = with_smtp(&mine, CONTOSO, "smtp.same.example");
    edit.name = "Contoso Mine".to_owned();
    edit.imap = ServerEndpoint::new("imap.mine.example", 993, Security::Tls);
    mine.edit(CONTOSO, edit);
    mine.set_hidden(CONTOSO, true);
    let mut theirs = document(4);
    let service = &mut theirs.services[1];
    service.name = "Contoso Theirs".to_owned();
    service.smtp = ServerEndpoint::new("smtp.same.example", 465, Security::Tls);
    service.imap = ServerEndpoint::new("imap.theirs.example", 993, Security::Tls);
    service.hidden = true;
    let (rebased, conflicts) = mine.rebase(theirs);
    let fields: Vec<(String, String)> = conflicts
        .iter()
        .map(|conflict| match conflict {
            Conflict::Field { theirs, mine, .. } => (theirs.to_string(), mine.to_string()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("Contoso Theirs".to_owned(), "Contoso Mine".to_owned()),
            (
                "imap.theirs.example:993".to_owned(),
                "imap.mine.example:993".to_owned()
            ),
        ]
    );
    let row = rebased.row(CONTOSO).unwrap();
    assert_eq!(
        rebased.change_of(row),
        RowChange::Unchanged,
        "all theirs now"
    );
}

/// My deletion stays staged whatever they changed in the service; their switch and mine both stay.
#[wasm_bindgen_test]
fn a_rebase_keeps_my_deletion_and_each_side_s_switch() {
    let mut mine = Staged::new(document(3));
    mine.delete(CONTOSO);
    mine.allow_manual_entry = false;
    let mut theirs = document(4);
    theirs.services[1].hidden = true;
    theirs.business_process_sending = false;
    let (rebased, conflicts) = mine.rebase(theirs);
    assert_eq!(conflicts, []);
    assert_eq!(
        rebased.change_of(rebased.row(CONTOSO).unwrap()),
        RowChange::Deleted
    );
    assert!(!rebased.allow_manual_entry && !rebased.business_process_sending);
}
