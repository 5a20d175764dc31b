//! The fields of the add and edit forms.

use leptos::prelude::*;

use crate::{
    clients::api::{ClientView, ProviderOption},
    error::AppError,
    ui::{SelectField, TextField, TimeZoneField, message_for},
};

#[component]
pub fn ClientFields(
    initial: ClientView,
    providers: Vec<ProviderOption>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let mut provider_options = vec![(String::new(), "No provider yet".to_owned())];
    provider_options.extend(providers.into_iter().map(|p| (p.id, p.name)));
    view! {
        <div class="field-row">
            <TextField label="First name" name="client[first_name]" autocomplete="off" value=initial.first_name
                error=message_for(error, "first_name") />
            <TextField label="Last name" name="client[last_name]" autocomplete="off" value=initial.last_name
                error=message_for(error, "last_name") />
        </div>
        <TextField label="Email" name="client[email]" kind="email" value=initial.email
            hint="Their username for the client portal." error=message_for(error, "email") />
        <div class="field-row">
            <TextField label="Phone" name="client[phone]" kind="tel" value=initial.phone error=message_for(error, "phone") />
            <TextField label="Date of birth" name="client[date_of_birth]" kind="date" value=initial.date_of_birth
                error=message_for(error, "date_of_birth") />
        </div>
        <TimeZoneField label="Client's time zone" name="client[time_zone]" value=initial.time_zone
            error=message_for(error, "time_zone") />
        <SelectField label="Primary provider" name="client[primary_provider_id]" options=provider_options
            value=initial.primary_provider_id error=message_for(error, "primary_provider_id") />
    }
}

/// An empty client for the add form, in the practice's zone.
pub fn blank_client(time_zone: String) -> ClientView {
    ClientView {
        id: String::new(),
        first_name: String::new(),
        last_name: String::new(),
        email: String::new(),
        phone: String::new(),
        date_of_birth: String::new(),
        time_zone,
        primary_provider_id: String::new(),
        provider: None,
        group_id: String::new(),
        group: None,
        is_test: false,
        is_own_test_client: false,
        archived: false,
        has_login: false,
        invitation_pending_until: None,
    }
}
