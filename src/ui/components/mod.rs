//! The app's components, one per file, each with its `Props` beside it.

pub mod client_console;
pub mod clients_panel;
pub mod cluster_map;
pub mod console;
pub mod crossslot_fix;
pub mod key_inspector;
pub mod lang_switch;
pub mod lesson_panel;
pub mod lesson_picker;
pub mod lua_editor;
pub mod notice_bar;
pub mod ops_panel;
pub mod route_trace;
pub mod sample_bar;
pub mod script_panel;
pub mod script_trace;
pub mod sequence_diagram;
pub mod shard_card;
pub mod slot_ribbon;
pub mod timeline_bar;
pub mod toolbar;
pub mod top_bar;
pub mod transcript;
pub mod try_list;
pub mod tx_card;
pub mod tx_panel;
