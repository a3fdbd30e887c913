use leptos::prelude::*;
use leptos_router::{components::*, path};
use serde::Deserialize;

#[derive(Clone, Deserialize)]
struct Item {
    id: i64,
    name: String,
}

#[component]
fn List() -> impl IntoView {
    let items = LocalResource::new(|| async {
        gloo_net::http::Request::get("/items")
            .send()
            .await
            .ok()?
            .json::<Vec<Item>>()
            .await
            .ok()
    });
    let (count, set_count) = signal(0);
    view! {
        <button on:click=move |_| set_count.update(|c| *c += 1)>{move || count.get()}</button>
        <Transition fallback=|| "Loading">
            {move || Suspend::new(async move {
                let items = items.await.unwrap_or_default();
                view! { <ul><For each=move || items.clone() key=|i| i.id let:item><li>{item.name}</li></For></ul> }
            })}
        </Transition>
    }
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <nav><A href="/">"Home"</A><A href="/list">"List"</A></nav>
            <Routes fallback=|| "Not found">
                <Route path=path!("/") view=|| view! { <p>"Home"</p> }/>
                <Route path=path!("/list") view=List/>
            </Routes>
        </Router>
    }
}

fn main() {
    leptos::mount::mount_to_body(App)
}
