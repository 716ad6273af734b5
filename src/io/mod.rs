//! Reading customer lists from files and stdin, and writing datasets atomically.
//! Readers keep every value as text with its source row; writers never touch an input and never leave partial files.

pub mod columns;
pub mod csv_source;
pub mod db;
pub mod digest;
pub mod excel;
pub mod interrupt;
pub mod output_set;
pub mod outputs;
pub mod read;
pub mod review_workbook;
pub mod rewrite;
pub mod sniff;
pub mod source;
pub mod workbook;
pub mod workbook_limits;
pub mod write;

pub use read::{expand_inputs, open_bytes, open_source, Source};
pub use source::{
    InputFormat, Item, RawRow, ReadOptions, Reject, RowRef, SheetSelector, SourceInfo,
};
