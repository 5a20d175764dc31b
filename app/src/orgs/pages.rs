//! Members (with permission toggles and invitations), practice branding, and joining.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{
    AcceptMemberInvitation, InvitationView, InviteMember, MemberView, RemoveMember, ResendMemberInvitation,
    RevokeMemberInvitation, SetAccentColor, SetMemberPermission, get_practice, list_members,
};
use crate::ui::{
    ErrorNotice, FormMessage, Loading, SelectField, SubmitButton, TextField, TimeZoneField, TokenField, UploadForm,
    UploadOutcome, error_for,
};

#[component]
pub fn MembersPage() -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let toggle = ServerAction::<SetMemberPermission>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let resend = ServerAction::<ResendMemberInvitation>::new();
    let revoke = ServerAction::<RevokeMemberInvitation>::new();
    let members = Resource::new(
        move || {
            (
                invite.version().get(),
                toggle.version().get(),
                remove.version().get(),
                resend.version().get(),
                revoke.version().get(),
            )
        },
        |_| list_members(),
    );
    view! {
        <Title text="Members · Tend" />
        <p class="breadcrumb"><a href="/app/settings">"Settings"</a></p>
        <h1>"Members"</h1>
        <FormMessage value=toggle.value() />
        <FormMessage value=remove.value() />
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match members.await {
                    Ok(view_data) => {
                        let can_manage = view_data.can_manage;
                        view! {
                            <ul class="member-list">
                                {view_data.members.into_iter().map(|member| view! { <Member member can_manage toggle remove /> }).collect_view()}
                            </ul>
                            <Invitations invitations=view_data.invitations resend revoke />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                }
            })}
        </Transition>
        <section class="card narrow">
            <h2>"Invite a member"</h2>
            <ActionForm action=invite attr:novalidate=true attr:class="stack">
                <FormMessage value=invite.value() success="Invitation sent." />
                <TextField label="Email" name="email" kind="email" error=error_for(invite.value(), "email") />
                <SelectField
                    label="Role"
                    name="role"
                    options=vec![("provider".into(), "Provider".into()), ("staff".into(), "Staff".into())]
                    error=error_for(invite.value(), "role")
                />
                <SubmitButton label="Send invitation" pending=invite.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn Member(
    member: MemberView,
    can_manage: bool,
    toggle: ServerAction<SetMemberPermission>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    // Nobody changes the owner, and nobody changes themself.
    let editable = can_manage && !member.is_owner && !member.is_me;
    let id = member.id.clone();
    let name = member.name.clone();
    view! {
        <li class="card member">
            <h2 class="member-name">{member.name.clone()}</h2>
            <p class="client-meta">{format!("{} · {}", member.role, member.email)}{member.is_me.then_some(" · you")}</p>
            <h3 class="permissions-title">"Permissions"</h3>
            <ul class="toggles">
                {member.permissions.into_iter().map(|p| {
                    let label = p.label.clone();
                    let id = id.clone();
                    let aria = format!("{label} ({name})");
                    view! {
                        <li>
                            <ActionForm action=toggle attr:class="toggle-form">
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="permission" value=p.key.clone() />
                                <input type="hidden" name="enabled" value=(!p.on).to_string() />
                                <button
                                    type="submit"
                                    role="switch"
                                    class="toggle"
                                    aria-checked=p.on.to_string()
                                    aria-label=aria
                                    disabled=!editable
                                >
                                    <span class="toggle-track" aria-hidden="true"></span>
                                    <span>{label.clone()}</span>
                                </button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {editable.then(|| {
                let label = format!("Remove {}", member.name);
                view! {
                    <ActionForm action=remove>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="button button-quiet">{label}</button>
                    </ActionForm>
                }
            })}
        </li>
    }
}

#[component]
fn Invitations(
    invitations: Vec<InvitationView>,
    resend: ServerAction<ResendMemberInvitation>,
    revoke: ServerAction<RevokeMemberInvitation>,
) -> impl IntoView {
    (!invitations.is_empty()).then(|| {
        view! {
            <section class="card">
                <h2>"Pending invitations"</h2>
                <FormMessage value=resend.value() success="A new invitation was sent." />
                <FormMessage value=revoke.value() success="Invitation revoked." />
                <ul class="client-list">
                    {invitations.into_iter().map(|i| {
                        let (resend_id, revoke_id) = (i.id.clone(), i.id.clone());
                        let resend_label = format!("Resend invitation to {}", i.email);
                        let revoke_label = format!("Revoke invitation to {}", i.email);
                        view! {
                        <li class="client-item">
                            <span class="client-name">{i.email.clone()}</span>
                            <span class="client-meta">{format!("{} · expires {}", i.role, i.expires)}</span>
                            <ActionForm action=resend attr:class="inline-form">
                                <input type="hidden" name="id" value=resend_id />
                                <button type="submit" class="button button-quiet" aria-label=resend_label>"Resend"</button>
                            </ActionForm>
                            <ActionForm action=revoke attr:class="inline-form">
                                <input type="hidden" name="id" value=revoke_id />
                                <button type="submit" class="button button-quiet" aria-label=revoke_label>"Revoke"</button>
                            </ActionForm>
                        </li>
                    }}).collect_view()}
                </ul>
            </section>
        }
    })
}

/// Accept an invitation to a practice from the emailed link.
#[component]
pub fn JoinPage() -> impl IntoView {
    let action = ServerAction::<AcceptMemberInvitation>::new();
    let value = action.value();
    view! {
        <Title text="Join your practice · Tend" />
        <main class="auth-page" id="main">
            <a class="brand" href="/">"Tend"</a>
            <section class="card auth-card">
                <h1>"Join your practice"</h1>
                <p class="lead">"Choose your name and password. If you already use Tend, enter the password of that account."</p>
                <ActionForm action=action attr:novalidate=true attr:class="stack">
                    <FormMessage value=value />
                    <TokenField error=error_for(value, "token") />
                    <TextField label="Your name" name="full_name" autocomplete="name" error=error_for(value, "full_name") />
                    <TextField label="Password" name="password" kind="password" autocomplete="new-password"
                        hint="At least 12 characters. Several unrelated words work well."
                        error=error_for(value, "password") />
                    <TimeZoneField label="Your time zone" name="time_zone" error=error_for(value, "time_zone") />
                    <SubmitButton label="Join practice" pending=action.pending() />
                </ActionForm>
            </section>
        </main>
    }
}

/// The words for a `logo_error` code in the settings page's address (the upload redirects
/// there). Only these fixed texts are ever shown: the address is not trusted. The upload's
/// reasons match `tend_core::orgs::service::LogoProblem` (a request test checks each).
pub fn logo_problem_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "missing" => "Choose an image file.",
        "too_large" => "The logo must be smaller than 2 MB.",
        "not_an_image" => "The logo must be a PNG, JPEG or WebP image.",
        "damaged" => "This image file is damaged. Export it again and retry.",
        "forbidden" => "You need the permission “Can manage organization settings” to change the logo.",
        "failed" => "The logo could not be saved. Try again.",
        _ => return None,
    })
}

/// Branding of the client portal: accent colour and logo.
#[component]
pub fn PracticeSettingsPage() -> impl IntoView {
    let accent = ServerAction::<SetAccentColor>::new();
    let practice = Resource::new(move || accent.version().get(), |_| get_practice());
    view! {
        <Title text="Practice · Tend" />
        <p class="breadcrumb"><a href="/app/settings">"Settings"</a></p>
        <h1>"Practice and client portal"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match practice.await {
                    Ok(p) => view! {
                        <section class="card narrow">
                            <h2>{p.name.clone()}</h2>
                            <p>"Your clients' portal: " <a href=format!("/p/{}", p.slug) rel="external">{format!("/p/{}", p.slug)}</a></p>
                            {p.has_logo.then(|| view! { <img class="logo-preview" src=format!("/p/{}/logo", p.slug) alt="Current logo" /> })}
                        </section>
                        <section class="card narrow">
                            <h2>"Accent colour"</h2>
                            <ActionForm action=accent attr:class="stack">
                                <FormMessage value=accent.value() success="Colour saved." />
                                <TextField label="Accent colour" name="accent_color" kind="color" value=p.accent_color.clone()
                                    error=error_for(accent.value(), "accent_color") />
                                <SubmitButton label="Save colour" pending=accent.pending() />
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                }
            })}
        </Transition>
        <section class="card narrow">
            <h2>"Logo"</h2>
            <UploadOutcome field="logo" saved="Logo saved." message=logo_problem_message />
            <UploadForm action="/app/settings/logo".to_owned() name="logo" label="Logo image" button="Upload logo"
                hint="PNG, JPEG or WebP, under 2 MB." accept="image/png,image/jpeg,image/webp" />
        </section>
    }
}
