//! `--output json`: one object, the result model as is.

use crate::grade::LabResult;

pub fn render(result: &LabResult) -> String {
    let mut text =
        serde_json::to_string_pretty(result).expect("the result model always serializes");
    text.push('\n');
    text
}
