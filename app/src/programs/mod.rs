//! Programs: the provider's pages to build them and manage who follows them, and the portal's
//! pages where clients follow them.

pub mod api;
mod combobox;
mod pages;
mod portal_pages;
mod uploads;

pub use pages::{ModulePage, NewProgramPage, ProgramClientsPage, ProgramPage, ProgramPreviewPage, ProgramsPage};
pub use portal_pages::{PortalModulePage, PortalProgramPage, PortalProgramsPage};
pub use uploads::upload_problem_message;
