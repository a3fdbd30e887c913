//! Administration > Email > Email service settings (SPEC A1–A8); administrators only.

use leptos::prelude::*;

use crate::api;
use crate::components::access::AdminOnly;
use crate::components::notice::ErrorNotice;
use crate::components::service_table::ServiceTable;
use crate::pages::set_title;
use crate::session::use_session;

#[component]
pub fn AdminServicesPage() -> impl IntoView {
    set_title("Email service settings");
    view! {
        <AdminOnly what="change email service settings">
            <ServiceSettings/>
        </AdminOnly>
    }
}

#[component]
fn ServiceSettings() -> impl IntoView {
    let session = use_session();
    let settings = LocalResource::new(move || async move {
        let settings = api::admin_settings().await;
        if let Err(error) = &settings {
            // A 401 here means the session ended: the page then sends the admin to sign in again.
            session.learn_from(error);
        }
        settings
    });
    view! {
        <section class="page" aria-labelledby="services-heading">
            <p class="breadcrumbs">"Administration › Email"</p>
            <h1 id="services-heading">"Email service settings"</h1>
            <p class="lead">
                "The services your people can connect their mailboxes to. Standard services ship with the product; corporate ones are added by administrators."
            </p>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading email services…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(document) => view! { <ServiceTable services=document.services/> }.into_any(),
                        Err(error) => view! {
                            <ErrorNotice
                                title="The email services could not be loaded"
                                error
                                retry=Callback::new(move |()| settings.refetch())
                            />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
