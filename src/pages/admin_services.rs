//! Administration > Email > Email service settings (SPEC A1–A8).

use leptos::prelude::*;

use crate::api;
use crate::components::notice::ErrorNotice;
use crate::components::service_table::ServiceTable;

#[component]
pub fn AdminServicesPage() -> impl IntoView {
    let settings = LocalResource::new(api::admin_settings);
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
