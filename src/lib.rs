//! zhen (镇): a static site generator for the news portals of Chinese townships.
//!
//! The stages as a library, so that parsers and stages can be tested in-process (property
//! tests included); `main.rs` only parses the command line and calls one of `cmd/*`.

pub mod cache;
pub mod check;
pub mod cmd;
pub mod config;
pub mod content;
pub mod deploy;
pub mod desktop;
pub mod diagnostics;
pub mod images;
pub mod import;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod privacy;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
