//! Leadership and commitment (ISO/IEC 27001 5.1): the duties of top management and the evidence that counts for
//! them, the façade detectors' findings, and the rules that turn records into the Leadership Evidence Index.

pub mod duty;
pub mod explain;
pub mod finding;
pub mod review;
pub mod review_figures;
pub mod score;

pub use duty::{Duty, EvidenceKind};
pub use finding::{Detector, Finding, RecordRef};
pub use score::{DutyScore, Signal, Verdict};
