//! Domain types, the API's JSON shapes and all validation, shared by the browser app and the server.
//!
//! The one place for SPEC section 4: [`parse_server`] judges a server string, [`validate_service`]
//! a whole service; their errors and warnings are data with stable codes and English and Russian
//! messages ([`Lang`]).

pub mod address;
pub mod api;
pub mod catalog;
#[cfg(any(target_arch = "wasm32", test))]
mod confusables;
mod host;
pub mod mailbox;
pub mod messages;
pub mod people;
pub mod plural;
pub mod ports;
pub mod service;
pub mod text;
mod uts46;
pub mod validation;

pub use address::{Fix, ServerCheck, ServerError, ServerReport, ServerWarning, parse_server};
pub use api::{
    ApiErrorBody, BusinessProcessSending, ConnectMailbox, ConnectThrough, FieldError, Password,
    Picker, PickerService, Role, ServiceMailbox, ServiceUpdate, ServiceUsage,
    SetBusinessProcessPreference, SettingsDocument, SettingsUpdate, SignIn, SignInLockout, User,
    UserId,
};
pub use host::{MAX_LABEL_LENGTH, MAX_NAME_LENGTH};
pub use mailbox::{
    BusinessProcessPreference, CredentialError, MAX_ADDRESS_CHARS, MAX_PASSWORD_CHARS,
    MailboxConnection, MailboxId, MailboxServer, MailboxStatus, address_key, check_credentials,
};
pub use messages::{Field, Lang, quoted};
pub use people::{
    MAX_DISPLAY_NAME_CHARS, MAX_LOGIN_CHARS, PersonError, check_new_person, check_sign_in,
};
pub use plural::{Counted, RuPlural};
pub use ports::usual_port;
pub use service::{
    MailService, Protocol, Security, ServerEndpoint, ServiceId, ServiceKind, UnknownCode,
};
pub use validation::{
    MAX_NAME_CHARS, NameError, NameIndex, ServerInput, ServiceCheck, ServiceDraft, ValidService,
    check_name, check_name_in, check_service, check_service_in, name_key, validate_service,
};

// The unit tests of every module also run in headless Chromium (`webdriver.json`).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
