//! Entry point of the browser app.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(mail_services_web::app::App);
}
