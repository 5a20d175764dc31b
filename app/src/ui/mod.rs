//! The design system: fields with their labels and messages, buttons, notices, page frames.

mod fields;
mod notice;
mod search;
pub mod time_zones;

pub use fields::{
    FormMessage, SelectField, SubmitButton, TextField, TimeZoneField, TokenField, error_for, last_error, message_for,
};
pub use notice::{EmptyState, ErrorNotice, Loading, Notice};
pub use search::{SearchBox, url_encode};
