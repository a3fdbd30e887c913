//! The administrator's unsaved changes to "Email service settings" (SPEC A8): what is staged, how each
//! row is marked, the one document a save sends, and replaying the changes onto a newer document
//! when another administrator saved first. Pure data: no signals, no requests.

use std::collections::HashMap;
use std::fmt;

use mail_core::{
    Field, MailService, ServerEndpoint, ServerInput, ServiceDraft, ServiceId, ServiceKind,
    ServiceUpdate, SettingsDocument, SettingsUpdate, ValidService,
};

/// A row of the page: a saved service, or one added on the page and not saved yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKey {
    Saved(ServiceId),
    New(u32),
}

/// A service as the page shows it now, staged changes included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: RowKey,
    pub kind: ServiceKind,
    pub name: String,
    pub smtp: ServerEndpoint,
    pub imap: ServerEndpoint,
    pub hidden: bool,
    /// Staged for deletion: still shown, marked, until the save.
    pub deleted: bool,
    pub mailbox_count: u64,
}

impl Row {
    fn from_saved(service: &MailService) -> Row {
        Row {
            key: RowKey::Saved(service.id),
            kind: service.kind,
            name: service.name.clone(),
            smtp: service.smtp.clone(),
            imap: service.imap.clone(),
            hidden: service.hidden,
            deleted: false,
            mailbox_count: service.mailbox_count,
        }
    }

    /// The form the Add/Edit dialog starts from.
    pub fn draft(&self) -> ServiceDraft {
        ServiceDraft {
            name: self.name.clone(),
            smtp: ServerInput::from(&self.smtp),
            imap: ServerInput::from(&self.imap),
        }
    }
}

/// How a row differs from what is saved, for the marks on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowChange {
    Unchanged,
    Added,
    Edited,
    Deleted,
    /// Only hidden or shown.
    Visibility,
}

/// The page's state: the document it was loaded from and the rows as the administrator left them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    base: SettingsDocument,
    rows: Vec<Row>,
    pub allow_manual_entry: bool,
    pub business_process_sending: bool,
    next_new: u32,
    /// Where each row and each saved service is, so that a page of thousands of services finds
    /// one in constant time: after every change the table looks up each row and its change
    /// (`RowSignals::sync` in the service table).
    row_at: HashMap<RowKey, usize>,
    saved_at: HashMap<ServiceId, usize>,
}

/// The company policies on the page (SPEC A6, A7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    AllowManualEntry,
    BusinessProcessSending,
}

/// A staged change that could not be replayed onto a newer document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// Another administrator deleted a service this administrator had changed.
    ServiceGone { name: String },
    /// Both administrators changed this field of the service, to different values: theirs is
    /// kept, and [`Staged::take_mine`] stages this administrator's value instead.
    Field {
        key: RowKey,
        /// The service's name as the other administrator saved it, which the row shows now.
        service: String,
        theirs: FieldValue,
        mine: FieldValue,
    },
}

/// The value of a field that two administrators can both change to different values. Hidden,
/// deleted and the two switches are yes/no: two changes of one from the same value agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Name(String),
    Smtp(ServerEndpoint),
    Imap(ServerEndpoint),
}

impl FieldValue {
    /// Which field of the service dialog this is, for its label.
    pub fn field(&self) -> Field {
        match self {
            FieldValue::Name(_) => Field::Name,
            FieldValue::Smtp(_) => Field::Smtp,
            FieldValue::Imap(_) => Field::Imap,
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Name(name) => f.write_str(name),
            FieldValue::Smtp(server) | FieldValue::Imap(server) => server.fmt(f),
        }
    }
}

/// One field merged three ways: `mine` where only this administrator changed it, else `theirs`;
/// `true` when both changed it and differently.
fn merge<T: PartialEq + Clone>(base: &T, mine: &T, theirs: &T) -> (T, bool) {
    if mine == base || mine == theirs {
        (theirs.clone(), false)
    } else if theirs == base {
        (mine.clone(), false)
    } else {
        (theirs.clone(), true)
    }
}

impl Staged {
    pub fn new(document: SettingsDocument) -> Staged {
        let saved_at = document
            .services
            .iter()
            .enumerate()
            .map(|(at, service)| (service.id, at))
            .collect();
        let mut staged = Staged {
            rows: document.services.iter().map(Row::from_saved).collect(),
            allow_manual_entry: document.allow_manual_entry,
            business_process_sending: document.business_process_sending,
            base: document,
            next_new: 1,
            row_at: HashMap::new(),
            saved_at,
        };
        staged.index_rows();
        staged
    }

    fn index_rows(&mut self) {
        self.row_at = self
            .rows
            .iter()
            .enumerate()
            .map(|(at, row)| (row.key, at))
            .collect();
    }

    fn push_row(&mut self, row: Row) {
        self.row_at.insert(row.key, self.rows.len());
        self.rows.push(row);
    }

    fn remove_row(&mut self, key: RowKey) {
        self.rows.retain(|row| row.key != key);
        self.index_rows();
    }

    pub fn base(&self) -> &SettingsDocument {
        &self.base
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn row(&self, key: RowKey) -> Option<&Row> {
        self.rows.get(*self.row_at.get(&key)?)
    }

    fn row_mut(&mut self, key: RowKey) -> Option<&mut Row> {
        self.rows.get_mut(*self.row_at.get(&key)?)
    }

    fn saved(&self, id: ServiceId) -> Option<&MailService> {
        self.base.services.get(*self.saved_at.get(&id)?)
    }

    pub fn policy(&self, policy: Policy) -> bool {
        match policy {
            Policy::AllowManualEntry => self.allow_manual_entry,
            Policy::BusinessProcessSending => self.business_process_sending,
        }
    }

    pub fn set_policy(&mut self, policy: Policy, on: bool) {
        match policy {
            Policy::AllowManualEntry => self.allow_manual_entry = on,
            Policy::BusinessProcessSending => self.business_process_sending = on,
        }
    }

    /// Whether the policy differs from what is saved.
    pub fn policy_changed(&self, policy: Policy) -> bool {
        let saved = match policy {
            Policy::AllowManualEntry => self.base.allow_manual_entry,
            Policy::BusinessProcessSending => self.base.business_process_sending,
        };
        self.policy(policy) != saved
    }

    /// Stages a new corporate service at the end of the list (SPEC A2).
    pub fn add(&mut self, service: ValidService) -> RowKey {
        let key = RowKey::New(self.next_new);
        self.next_new += 1;
        self.push_row(Row {
            key,
            kind: ServiceKind::Corporate,
            name: service.name,
            smtp: service.smtp,
            imap: service.imap,
            hidden: false,
            deleted: false,
            mailbox_count: 0,
        });
        key
    }

    /// Stages new parameters for a corporate service (SPEC A3); standard services are not edited.
    pub fn edit(&mut self, key: RowKey, service: ValidService) {
        if let Some(row) = self
            .row_mut(key)
            .filter(|row| row.kind == ServiceKind::Corporate)
        {
            row.name = service.name;
            row.smtp = service.smtp;
            row.imap = service.imap;
        }
    }

    /// Stages a deletion (SPEC A4): a saved corporate service is marked, a new one simply goes.
    pub fn delete(&mut self, key: RowKey) {
        match key {
            RowKey::New(_) => self.remove_row(key),
            RowKey::Saved(_) => {
                if let Some(row) = self
                    .row_mut(key)
                    .filter(|row| row.kind == ServiceKind::Corporate)
                {
                    row.deleted = true;
                }
            }
        }
    }

    /// Takes back a staged deletion.
    pub fn restore(&mut self, key: RowKey) {
        if let Some(row) = self.row_mut(key) {
            row.deleted = false;
        }
    }

    /// Takes back every staged change of a row: a saved service is as saved again, an added one goes.
    pub fn revert(&mut self, key: RowKey) {
        match key {
            RowKey::Saved(id) => {
                let saved = self.saved(id).map(Row::from_saved);
                if let (Some(saved), Some(row)) = (saved, self.row_mut(key)) {
                    *row = saved;
                }
            }
            RowKey::New(_) => self.remove_row(key),
        }
    }

    /// Stages hiding or showing a service (SPEC A5).
    pub fn set_hidden(&mut self, key: RowKey, hidden: bool) {
        if let Some(row) = self.row_mut(key) {
            row.hidden = hidden;
        }
    }

    pub fn change_of(&self, row: &Row) -> RowChange {
        let RowKey::Saved(id) = row.key else {
            return RowChange::Added;
        };
        let Some(saved) = self.saved(id) else {
            return RowChange::Added;
        };
        if row.deleted {
            RowChange::Deleted
        } else if row.name != saved.name || row.smtp != saved.smtp || row.imap != saved.imap {
            RowChange::Edited
        } else if row.hidden != saved.hidden {
            RowChange::Visibility
        } else {
            RowChange::Unchanged
        }
    }

    /// Whether anything differs from the saved document: the "Unsaved changes" bar.
    pub fn has_changes(&self) -> bool {
        self.allow_manual_entry != self.base.allow_manual_entry
            || self.business_process_sending != self.base.business_process_sending
            || self.rows.len() != self.base.services.len()
            || self
                .rows
                .iter()
                .any(|row| self.change_of(row) != RowChange::Unchanged)
    }

    /// How many rows and switches carry a change, for "3 unsaved changes".
    pub fn change_count(&self) -> usize {
        let switches = usize::from(self.allow_manual_entry != self.base.allow_manual_entry)
            + usize::from(self.business_process_sending != self.base.business_process_sending);
        switches
            + self
                .rows
                .iter()
                .filter(|row| self.change_of(row) != RowChange::Unchanged)
                .count()
    }

    /// The names of the services that will exist after the save, but for `except`: what a name in
    /// the dialog must not repeat.
    pub fn other_names(&self, except: Option<RowKey>) -> Vec<String> {
        self.rows
            .iter()
            .filter(|row| !row.deleted && Some(row.key) != except)
            .map(|row| row.name.clone())
            .collect()
    }

    /// The body of `PUT /api/admin/settings`; send it with `If-Match` of [`Staged::base`]'s version.
    pub fn to_update(&self) -> SettingsUpdate {
        SettingsUpdate {
            allow_manual_entry: self.allow_manual_entry,
            business_process_sending: self.business_process_sending,
            services: self
                .rows
                .iter()
                .filter(|row| !row.deleted)
                .map(|row| match (row.kind, row.key) {
                    (ServiceKind::Standard, RowKey::Saved(id)) => ServiceUpdate::Standard {
                        id,
                        hidden: row.hidden,
                    },
                    (_, key) => ServiceUpdate::Corporate {
                        id: match key {
                            RowKey::Saved(id) => Some(id),
                            RowKey::New(_) => None,
                        },
                        draft: row.draft(),
                        hidden: row.hidden,
                    },
                })
                .collect(),
        }
    }

    /// The same changes made to `newer` (another administrator's save), field by field: each
    /// field (name, servers, hidden, deleted, each switch) this administrator changed from the
    /// loaded document is set again, every other field keeps the newer value, and a field both
    /// changed differently is reported ([`Conflict::Field`]), as is a change to a service that is
    /// gone. Rows keep the newer document's order; added services stay at the end.
    pub fn rebase(&self, newer: SettingsDocument) -> (Staged, Vec<Conflict>) {
        let mut rebased = Staged::new(newer);
        rebased.next_new = self.next_new;
        let mut conflicts = Vec::new();
        for policy in [Policy::AllowManualEntry, Policy::BusinessProcessSending] {
            if self.policy_changed(policy) {
                rebased.set_policy(policy, self.policy(policy));
            }
        }
        for row in &self.rows {
            let change = self.change_of(row);
            if change == RowChange::Unchanged {
                continue;
            }
            let (RowKey::Saved(id), Some(base)) = (row.key, self.saved_of(row.key)) else {
                rebased.push_row(row.clone());
                continue;
            };
            match rebased.row_mut(RowKey::Saved(id)) {
                Some(target) => conflicts.extend(replay(row, base, target)),
                None if change != RowChange::Deleted => conflicts.push(Conflict::ServiceGone {
                    name: row.name.clone(),
                }),
                None => {}
            }
        }
        (rebased, conflicts)
    }

    /// Stages this administrator's value of a field that conflicted after a rebase.
    pub fn take_mine(&mut self, conflict: &Conflict) {
        let Conflict::Field { key, mine, .. } = conflict else {
            return;
        };
        if let Some(row) = self.row_mut(*key) {
            match mine.clone() {
                FieldValue::Name(name) => row.name = name,
                FieldValue::Smtp(smtp) => row.smtp = smtp,
                FieldValue::Imap(imap) => row.imap = imap,
            }
        }
    }

    fn saved_of(&self, key: RowKey) -> Option<&MailService> {
        match key {
            RowKey::Saved(id) => self.saved(id),
            RowKey::New(_) => None,
        }
    }
}

/// Replays `mine`, a row changed from `base`, onto `target`, the same service in a newer document.
fn replay(mine: &Row, base: &MailService, target: &mut Row) -> Vec<Conflict> {
    let mut conflicts = Vec::new();
    let service = target.name.clone();
    let mut field = |theirs: FieldValue, my: FieldValue, conflicted: bool| {
        if conflicted {
            conflicts.push(Conflict::Field {
                key: mine.key,
                service: service.clone(),
                theirs,
                mine: my,
            });
        }
    };
    let (name, conflicted) = merge(&base.name, &mine.name, &target.name);
    field(
        FieldValue::Name(target.name.clone()),
        FieldValue::Name(mine.name.clone()),
        conflicted,
    );
    let (smtp, conflicted) = merge(&base.smtp, &mine.smtp, &target.smtp);
    field(
        FieldValue::Smtp(target.smtp.clone()),
        FieldValue::Smtp(mine.smtp.clone()),
        conflicted,
    );
    let (imap, conflicted) = merge(&base.imap, &mine.imap, &target.imap);
    field(
        FieldValue::Imap(target.imap.clone()),
        FieldValue::Imap(mine.imap.clone()),
        conflicted,
    );
    target.name = name;
    target.smtp = smtp;
    target.imap = imap;
    target.hidden = merge(&base.hidden, &mine.hidden, &target.hidden).0;
    target.deleted = mine.deleted;
    conflicts
}
