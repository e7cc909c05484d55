//! Leadership and commitment (ISO/IEC 27001 5.1, 9.3): the Leadership Evidence Index, the façade detectors and
//! the management review compiled from live data.

pub mod detectors;
pub mod review;
