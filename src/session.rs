//! Who is signed in: asked of the server once at start, then shared with every page as context.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mail_core::{Role, User};

use crate::api::{self, ApiError};

/// What the app knows about the person using it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// `GET /api/session` has not answered yet.
    Checking,
    SignedOut,
    SignedIn(User),
}

/// The session context, provided once at the top of the app (see [`crate::app::App`]).
#[derive(Debug, Clone, Copy)]
pub struct Session(RwSignal<SessionState>);

impl Session {
    pub fn new(state: SessionState) -> Self {
        Session(RwSignal::new(state))
    }

    /// Starts in [`SessionState::Checking`] and asks the server who is signed in.
    pub fn check() -> Self {
        let session = Session::new(SessionState::Checking);
        session.recheck();
        session
    }

    /// Asks the server again, e.g. after it refused something the app thought was allowed.
    pub fn recheck(self) {
        spawn_local(async move {
            let state = match api::current_user().await {
                Ok(user) => SessionState::SignedIn(user),
                Err(error) => {
                    // Anything but a 401 leaves us not knowing; signing in again is the way on,
                    // and the sign-in form then reports what is wrong with the server.
                    if !error.is_signed_out() {
                        leptos::logging::warn!("could not check the session: {error}");
                    }
                    SessionState::SignedOut
                }
            };
            self.0.try_set(state);
        });
    }

    /// The current state; tracked.
    pub fn state(self) -> SessionState {
        self.0.get()
    }

    /// The signed-in person; tracked.
    pub fn user(self) -> Option<User> {
        self.0.with(|state| match state {
            SessionState::SignedIn(user) => Some(user.clone()),
            _ => None,
        })
    }

    /// Whether an administrator is signed in; tracked.
    pub fn is_admin(self) -> bool {
        self.0
            .with(|state| matches!(state, SessionState::SignedIn(user) if user.role == Role::Admin))
    }

    pub fn signed_in(self, user: User) {
        self.0.set(SessionState::SignedIn(user));
    }

    pub fn signed_out(self) {
        self.0.set(SessionState::SignedOut);
    }

    /// Lets the session learn from a refused request: a 401 means the session has ended (the
    /// pages then send the person to sign in), a 403 that the role may have changed.
    pub fn learn_from(self, error: &ApiError) {
        if error.is_signed_out() {
            self.signed_out();
        } else if error.is_forbidden() {
            self.recheck();
        }
    }

    /// [`Session::learn_from`] once the running action is over: an action whose refusal ends the
    /// session then finishes before its page (and the signals it updates) goes away.
    pub fn learn_from_later(self, error: &ApiError) {
        if error.is_signed_out() || error.is_forbidden() {
            let error = error.clone();
            set_timeout(move || self.learn_from(&error), std::time::Duration::ZERO);
        }
    }
}

/// The session provided by [`crate::app::App`] (or by a test).
pub fn use_session() -> Session {
    expect_context::<Session>()
}
