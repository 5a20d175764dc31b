//! The client's programs in the portal: the list with progress, a program's modules (open ones
//! to read, upcoming ones locked with their date in the client's zone), and a module.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{CompleteModule, portal_module, portal_program, portal_programs};
use crate::{
    error::AppError,
    portal::pages::use_slug,
    ui::{ErrorNotice, FormMessage, Loading, SubmitButton, set_not_found_status},
};

/// What a removed, expired or never-enrolled client sees instead of a program.
#[component]
fn NoAccess() -> impl IntoView {
    let slug = use_slug();
    set_not_found_status();
    view! {
        <Title text="No access · client portal" />
        <h1>"You no longer have access to this program"</h1>
        <p>"Your access has ended, or this program is not available to you. If you think this is a mistake, ask your provider."</p>
        <p><a href=move || format!("/p/{}/programs", slug.get())>"Your programs"</a></p>
    }
}

/// What a portal page shows when its data is refused: the log-in page for a visitor, "no
/// longer have access" for a program or module that is not (or no longer) theirs.
fn refused(error: AppError, slug: &str) -> AnyView {
    match error {
        AppError::Unauthenticated => {
            let path = format!("/p/{}/login", crate::ui::url_encode(slug));
            view! { <leptos_router::components::Redirect path=path /> }.into_any()
        }
        AppError::NotFound => view! { <NoAccess /> }.into_any(),
        error => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
    }
}

#[component]
pub fn PortalProgramsPage() -> impl IntoView {
    let slug = use_slug();
    let programs = Resource::new_blocking(move || slug.get(), portal_programs);
    view! {
        <Title text="Your programs · client portal" />
        <p class="breadcrumb"><a href=move || format!("/p/{}", slug.get())>"Portal home"</a></p>
        <h1>"Your programs"</h1>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match programs.await {
                    Ok(list) if list.is_empty() => view! { <p>"You are not enrolled in any program yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="client-list">
                            {list.into_iter().map(|p| view! {
                                <li class="client-item">
                                    {p.cover.map(|src| view! { <img class="cover-thumb" src=src alt="" /> })}
                                    <a class="client-name" href=p.href>{p.title}</a>
                                    <span class="client-meta">{p.progress}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => refused(error, &slug.get_untracked()),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn PortalProgramPage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let program = Resource::new_blocking(move || (slug.get(), id()), |(slug, id)| portal_program(slug, id));
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match program.await {
                    Ok(program) => view! {
                        <Title text=format!("{} · client portal", program.title) />
                        <p class="breadcrumb"><a href=format!("/p/{}/programs", slug.get_untracked())>"Your programs"</a></p>
                        <h1>{program.title.clone()}</h1>
                        {program.cover.clone().map(|src| view! { <img class="cover-preview" src=src alt=format!("Cover of {}", program.title) /> })}
                        {(!program.description.is_empty()).then(|| view! { <p class="lead">{program.description.clone()}</p> })}
                        {program.access_ends.clone().map(|end| view! { <p class="client-meta">{format!("Your access ends {end}.")}</p> })}
                        <ol class="module-list">
                            {program.modules.into_iter().map(|m| view! {
                                <li class="module-item" class:module-locked=m.href.is_none()>
                                    {match m.href.clone() {
                                        Some(href) => view! { <a class="module-title" href=href>{m.title.clone()}</a> }.into_any(),
                                        None => view! { <span class="module-title">{m.title.clone()}</span> }.into_any(),
                                    }}
                                    <span class="client-meta">{format!("{} · {}", m.kind_label, m.state)}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(error) => refused(error, &slug.get_untracked()),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn PortalModulePage() -> impl IntoView {
    let slug = use_slug();
    let params = use_params_map();
    let module_id = move || params.with(|p| p.get("module_id").unwrap_or_default());
    let complete = ServerAction::<CompleteModule>::new();
    let module = Resource::new_blocking(
        move || (slug.get(), module_id(), complete.version().get()),
        |(slug, id, _)| portal_module(slug, id),
    );
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match module.await {
                    Ok(m) => view! {
                        <Title text=format!("{} · client portal", m.title) />
                        <p class="breadcrumb"><a href=m.program_href.clone()>{m.program_title.clone()}</a></p>
                        <h1>{m.title.clone()}</h1>
                        {m.video_embed.clone().map(|src| view! {
                            <div class="video-frame">
                                <iframe src=src title=format!("Video: {}", m.title) allow="fullscreen; picture-in-picture"
                                    referrerpolicy="strict-origin-when-cross-origin"></iframe>
                            </div>
                        })}
                        {(m.kind == "document").then(|| match m.document.clone() {
                            Some((name, href)) => view! {
                                <p><a class="button button-primary" href=href download="">{format!("Open {name}")}</a></p>
                            }.into_any(),
                            None => view! { <p>"The document is not available yet."</p> }.into_any(),
                        })}
                        <article class="module-body" inner_html=m.html.clone()></article>
                        {if m.completed {
                            view! { <p class="notice notice-success" role="status">"You completed this module."</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=complete attr:class="stack">
                                    <FormMessage value=complete.value() />
                                    <input type="hidden" name="slug" value=slug.get_untracked() />
                                    <input type="hidden" name="id" value=m.id.clone() />
                                    <SubmitButton label="Mark complete" pending=complete.pending() />
                                </ActionForm>
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(error) => refused(error, &slug.get_untracked()),
                }
            })}
        </Suspense>
    }
}
