//! Korean particles (조사) after a word kubelab does not know in advance.
//!
//! A particle depends on whether the word before it ends in a consonant (받침): `포트를`,
//! `정책을`. A Korean message puts a particle after a Korean noun, never after a name
//! (`` `{ $name }` 파드가 ``, not `{ $name }이(가)`), and writes both forms only where the
//! word before it varies but its reading is known once rendered: the noun of a kind
//! (`{ KIND($kind) }이(가)`) or a number (`UID { $uid }(으)로`). [`resolve`] picks the form
//! when the word ends in a Hangul syllable or a digit (read the Korean way: 1 일, 2 이,
//! …), and keeps both forms after a Latin letter or a symbol, whose reading is not certain
//! (`Pod을(를)`); `tests/korean_output.rs` fails on any pair left in a learner's output.

/// `text` with each `을(를)`, `이(가)`, `은(는)`, `와(과)`, `(으)로`, `(이)라는`,
/// `(이)어야` resolved where the word before it allows. Linear in the length of `text`.
pub fn resolve(text: &str) -> String {
    // (written form, after a final consonant, after a vowel)
    const FORMS: &[(&str, &str, &str)] = &[
        ("을(를)", "을", "를"),
        ("이(가)", "이", "가"),
        ("은(는)", "은", "는"),
        ("와(과)", "과", "와"),
        ("(으)로", "으로", "로"),
        ("(이)라는", "이라는", "라는"),
        ("(이)어야", "이어야", "여야"),
    ];
    if !text.contains(')') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for (written, consonant, vowel) in FORMS {
            if let Some(after) = rest.strip_prefix(written) {
                match final_sound(&out) {
                    Some(Final::Consonant(rieul)) => {
                        // `(으)로` after ㄹ is `로` (`파일로`).
                        if *written == "(으)로" && rieul {
                            out.push_str(vowel);
                        } else {
                            out.push_str(consonant);
                        }
                    }
                    Some(Final::Vowel) => out.push_str(vowel),
                    None => out.push_str(written),
                }
                rest = after;
                continue 'scan;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

enum Final {
    /// Ends in a consonant; `true` when it is ㄹ.
    Consonant(bool),
    Vowel,
}

/// How the word at the end of `text` ends when read aloud, skipping closing quotes and
/// backticks; `None` when it cannot be known (a Latin letter, a symbol).
fn final_sound(text: &str) -> Option<Final> {
    let last = text
        .chars()
        .rev()
        .find(|c| !matches!(c, '`' | '"' | '\'' | '”' | '’'))?;
    match last {
        '\u{AC00}'..='\u{D7A3}' => {
            let coda = (last as u32 - 0xAC00) % 28;
            Some(match coda {
                0 => Final::Vowel,
                8 => Final::Consonant(true),
                _ => Final::Consonant(false),
            })
        }
        // 영, 일, 이, 삼, 사, 오, 육, 칠, 팔, 구
        '0' | '3' | '6' => Some(Final::Consonant(false)),
        '1' | '7' | '8' => Some(Final::Consonant(true)),
        '2' | '4' | '5' | '9' => Some(Final::Vowel),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn particles_follow_the_final_sound_when_it_is_known() {
        assert_eq!(
            resolve("모든 포트을(를) 허용합니다"),
            "모든 포트를 허용합니다"
        );
        assert_eq!(resolve("정책을(를) 적용합니다"), "정책을 적용합니다");
        assert_eq!(
            resolve("TCP/6379을(를) 허용합니다"),
            "TCP/6379를 허용합니다"
        );
        assert_eq!(resolve("포트 6380이(가) 열려"), "포트 6380이 열려");
        assert_eq!(resolve("`정책`은(는)"), "`정책`은");
        assert_eq!(resolve("파일(으)로 씁니다"), "파일로 씁니다");
        assert_eq!(resolve("정책(으)로 막습니다"), "정책으로 막습니다");
        assert_eq!(resolve("포트(으)로"), "포트로");
        assert_eq!(resolve("UID 1000(이)어야 합니다"), "UID 1000이어야 합니다");
        assert_eq!(resolve("값 2(이)어야 합니다"), "값 2여야 합니다");
        // A Latin word's reading is not certain: both forms stay.
        assert_eq!(resolve("Pod을(를) 요구합니다"), "Pod을(를) 요구합니다");
        assert_eq!(resolve("`db-pod`은(는)"), "`db-pod`은(는)");
        assert_eq!(resolve("괄호(설명)는 그대로"), "괄호(설명)는 그대로");
    }
}
