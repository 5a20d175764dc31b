//! Scheduling: the provider's settings, hours and calendar, and the portal's booking pages.

pub mod api;
mod pages;
mod portal_pages;

pub use pages::{
    AppointmentPage, AppointmentTypePage, AppointmentsReportPage, AvailabilityPage, CalendarPage, NewAppointmentPage,
    SchedulingSettingsPage,
};
pub use portal_pages::{PortalAppointmentsPage, PortalBookConfirmPage, PortalBookPage, PortalBookSentPage};
