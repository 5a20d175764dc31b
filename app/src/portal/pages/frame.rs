//! The branded frame around every portal page: the practice's name, logo and colour.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;

use crate::ui::{Loading, set_not_found_status};

use super::use_slug;
use crate::portal::api::portal_brand;

#[component]
pub fn PortalFrame() -> impl IntoView {
    let slug = use_slug();
    let brand = Resource::new_blocking(move || slug.get(), portal_brand);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                // The page under <Outlet /> is built once (see `after_the_walk`).
                #[cfg(feature = "ssr")]
                crate::ui::after_the_walk().await;
                match brand.await {
                    Ok(brand) => view! {
                        <Title text=format!("{} · client portal", brand.name) />
                        <div class="portal" style=format!("--accent: {}; --accent-strong: {};", brand.accent_color, brand.accent_color)>
                            <header class="portal-header">
                                <a class="portal-brand" href=format!("/p/{}", brand.slug)>
                                    {brand.logo_url.clone().map(|src| view! { <img class="portal-logo" src=src alt="" /> })}
                                    <span>{brand.name.clone()}</span>
                                </a>
                            </header>
                            <main class="portal-main" id="main">
                                <Outlet />
                            </main>
                        </div>
                    }.into_any(),
                    Err(_) => {
                        set_not_found_status();
                        view! {
                        <main class="auth-page" id="main">
                            <section class="card auth-card">
                                <h1>"Portal not found"</h1>
                                <p>"There is no client portal at this address. Check the link your provider sent you."</p>
                            </section>
                        </main>
                    }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
