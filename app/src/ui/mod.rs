//! The design system: fields with their labels and messages, buttons, notices, page frames.

mod fields;
#[cfg(feature = "ssr")]
mod frame_once;
mod notice;
mod numbers;
mod paging;
mod search;
pub mod time_zones;
mod upload;

pub use fields::{
    CheckboxField, FormMessage, SelectField, SubmitButton, TextAreaField, TextField, TimeZoneField, TokenField,
    error_for, last_error, message_for, successes,
};
#[cfg(feature = "ssr")]
pub use frame_once::after_the_walk;
pub use notice::{EmptyState, ErrorNotice, LoadError, Loading, Notice, set_not_found_status};
pub use numbers::count;
pub use paging::PageLinks;
pub use search::{SearchBox, url_encode};
pub use upload::{UploadForm, UploadOutcome};
