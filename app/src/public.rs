//! Pages anyone may see: the front page and "not found".

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Tend · practice management for health and wellness providers" />
        <main class="landing" id="main">
            <header class="landing-header">
                <span class="brand">"Tend"</span>
                <nav aria-label="Account">
                    <a href="/login">"Log in"</a>
                    <a class="button button-primary" href="/signup">"Create your practice"</a>
                </nav>
            </header>
            <section class="hero">
                <h1>"Run your practice. Care for your clients."</h1>
                <p class="lead">
                    "Tend is open-source practice management for dietitians, therapists and coaches: clients, "
                    "programs, booking, intake forms, video visits, chat and payments in one place, with a branded "
                    "portal for your clients."
                </p>
                <a class="button button-primary" href="/signup">"Create your practice"</a>
            </section>
        </main>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found · Tend" />
        <main class="auth-page" id="main">
            <section class="card auth-card">
                <h1>"Page not found"</h1>
                <p>"There is nothing at this address. Check the link, or go back to the start."</p>
                <p><a href="/">"Go to the start"</a></p>
            </section>
        </main>
    }
}
