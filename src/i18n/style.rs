//! The Korean register kubelab writes in: 합니다체 (`…합니다.`, `…입니까?`, `…하십시오.`).
//! Used by the tests of the Fluent resources and of the labs' Korean text.

/// The sentences of `text` that end in another register: 한다체 (`…한다.`, `…없다.`) or
/// 해요체 (`…해요.`, `…하세요.`). A sentence ends at `.`, `?`, `!` or a line break;
/// one that ends in a noun, code or a placeholder is not a verb ending and passes.
/// Returns the offending endings (up to 12 characters each).
pub fn not_hapnida(text: &str) -> Vec<String> {
    fn trim(text: &str) -> &str {
        text.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '\'' | '」' | '’' | '”' | ':' | ',')
        })
    }
    let mut bad = Vec::new();
    for sentence in text.split(['.', '?', '!', '\n']) {
        let mut trimmed = trim(sentence);
        // A closing parenthetical (`…시도합니다(실패해야 합니다)`) is not the ending.
        while trimmed.ends_with(')') {
            match trimmed.rfind('(') {
                Some(open) => trimmed = trim(&trimmed[..open]),
                None => break,
            }
        }
        let chars: Vec<char> = trimmed.chars().collect();
        let Some(&last) = chars.last() else { continue };
        let before = chars.len().checked_sub(2).map(|i| chars[i]);
        let wrong = match last {
            '다' => !matches!(before, Some('니')),
            '요' => true,
            '라' => matches!(before, Some('하' | '보' | '오' | '시')),
            _ => false,
        };
        if wrong {
            let start = chars.len().saturating_sub(12);
            bad.push(chars[start..].iter().collect());
        }
    }
    bad
}
