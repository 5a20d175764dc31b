//! Client pages of the provider app.

mod edit;
mod fields;
mod list;
mod new;
mod profile;

pub use edit::EditClientPage;
pub use list::ClientsPage;
pub use new::NewClientPage;
pub use profile::ClientProfilePage;
