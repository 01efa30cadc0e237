//! Did-you-mean: a case-insensitive match first, then the closest name by Jaro-Winkler.

/// Below this similarity a name is not suggested.
pub const THRESHOLD: f64 = 0.85;

pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate.eq_ignore_ascii_case(wrong) {
            return Some(candidate);
        }
        let score =
            strsim::jaro_winkler(&wrong.to_ascii_lowercase(), &candidate.to_ascii_lowercase());
        if score >= THRESHOLD && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn case_and_typos() {
        let names = ["readOnlyRootFilesystem", "runAsUser", "runAsGroup"];
        assert_eq!(
            closest("readOnlyRootFileSystem", names),
            Some("readOnlyRootFilesystem")
        );
        assert_eq!(closest("runAsUsr", names), Some("runAsUser"));
        assert_eq!(closest("image", names), None);
    }
}
