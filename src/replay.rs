//! Scenario replay (see `SCENARIOS.md`).
