//! The list of email services on the settings page (SPEC A1).

use leptos::prelude::*;
use mail_core::{MailService, ServerEndpoint, ServiceKind};

#[component]
pub fn ServiceTable(services: Vec<MailService>) -> impl IntoView {
    if services.is_empty() {
        return view! { <p class="empty">"No email services yet."</p> }.into_any();
    }
    view! {
        <table class="services">
            <caption class="visually-hidden">"Email services"</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"SMTP server"</th>
                    <th scope="col">"IMAP server"</th>
                    <th scope="col">"Visibility"</th>
                    <th scope="col" class="count">"Mailboxes"</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || services.clone() key=|service| service.id let:service>
                    <ServiceRow service/>
                </For>
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn ServiceRow(service: MailService) -> impl IntoView {
    let kind = match service.kind {
        ServiceKind::Standard => "Standard",
        ServiceKind::Corporate => "Corporate",
    };
    view! {
        <tr class:hidden-service=service.hidden>
            <th scope="row">
                <span class="service-name">{service.name}</span>
                " "
                <span class="tag">{kind}</span>
            </th>
            <td><Endpoint endpoint=service.smtp/></td>
            <td><Endpoint endpoint=service.imap/></td>
            <td class="visibility">{if service.hidden { "Hidden" } else { "Shown" }}</td>
            <td class="count">{service.mailbox_count}</td>
        </tr>
    }
}

#[component]
fn Endpoint(endpoint: ServerEndpoint) -> impl IntoView {
    view! {
        <code class="endpoint">{endpoint.to_string()}</code>
        " "
        <span class="security">{endpoint.security.label()}</span>
    }
}
