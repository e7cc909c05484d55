//! Mandate ledger (being written).
