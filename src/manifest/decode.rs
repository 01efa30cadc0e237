//! Why a value does not decode, in kubelab's words in both languages: base64 (a Secret's
//! `data`, a docker config's `auth`) and JSON (a `.dockerconfigjson`), instead of the
//! decoders' English (`Invalid symbol 32, offset 76.`, `trailing comma at line 1 column
//! 79`).

use crate::i18n::Message;
use crate::msg;

/// The width at which `base64` (GNU coreutils) breaks its output into lines by default.
const BASE64_LINE: usize = 76;

/// What is wrong with base64 text, from the `base64` crate's `DecodeError` as it
/// displays (`Invalid symbol 32, offset 76.`, `Invalid last symbol 61, offset 3.`,
/// `Invalid input length: 5`, `Invalid padding`); `None` for other text.
pub fn base64_problem(error: &str) -> Option<Message> {
    let error = error.trim_end_matches('.');
    if let Some(rest) = error.strip_prefix("Invalid symbol ") {
        let (byte, offset) = symbol_and_offset(rest)?;
        return Some(match byte {
            b'\n' | b'\r' | b' ' | b'\t' if offset > 0 && offset % BASE64_LINE == 0 => {
                msg!("base64-wrapped", offset = offset)
            }
            b'\n' | b'\r' | b' ' | b'\t' => msg!("base64-space", offset = offset),
            b'{' if offset == 0 => msg!("base64-json"),
            _ => msg!("base64-symbol", char = shown(byte), offset = offset),
        });
    }
    if let Some(rest) = error.strip_prefix("Invalid last symbol ") {
        let (byte, offset) = symbol_and_offset(rest)?;
        return Some(msg!(
            "base64-last-symbol",
            char = shown(byte),
            offset = offset
        ));
    }
    if let Some(length) = error.strip_prefix("Invalid input length: ") {
        let length: usize = length.trim().parse().ok()?;
        return Some(msg!("base64-length", length = length));
    }
    (error == "Invalid padding").then(|| msg!("base64-padding"))
}

/// `32, offset 76` → (32, 76).
fn symbol_and_offset(text: &str) -> Option<(u8, usize)> {
    let (byte, offset) = text.split_once(", offset ")?;
    Some((byte.trim().parse().ok()?, offset.trim().parse().ok()?))
}

/// A byte as the learner would recognize it: the character itself when printable ASCII,
/// else its code (`U+0009`).
fn shown(byte: u8) -> String {
    if byte.is_ascii_graphic() {
        (byte as char).to_string()
    } else {
        format!("U+{byte:04X}")
    }
}

/// What is wrong with JSON text, from `serde_json`'s error: the kind of mistake and
/// where (`json-at`).
pub fn json_problem(error: &serde_json::Error) -> Message {
    let text = error.to_string();
    let code = match text.rsplit_once(" at line ") {
        Some((code, _)) => code,
        None => text.as_str(),
    };
    let problem = if code.starts_with("EOF while parsing") {
        msg!("json-eof")
    } else {
        match code {
            "expected `:`" => msg!("json-colon"),
            "expected `,` or `]`" | "expected `,` or `}`" => msg!("json-comma"),
            "expected ident" | "expected value" => msg!("json-value"),
            "expected `\"`" | "key must be a string" => msg!("json-key"),
            "trailing comma" => msg!("json-trailing-comma"),
            "trailing characters" => msg!("json-trailing"),
            "invalid number" | "number out of range" => msg!("json-number"),
            _ if code.contains("escape")
                || code.contains("control character")
                || code.contains("unicode")
                || code.contains("surrogate") =>
            {
                msg!("json-escape")
            }
            _ => msg!("json-other"),
        }
    };
    if error.line() == 0 {
        return problem;
    }
    msg!(
        "json-at",
        problem = problem,
        line = error.line(),
        column = error.column()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn base64_errors_say_what_to_do() {
        let wrapped = base64_problem("Invalid symbol 32, offset 76.").unwrap();
        assert!(wrapped.render(Lang::En).contains("base64 -w0"), "{wrapped}");
        assert!(wrapped.render(Lang::Ko).contains("base64 -w0"));
        assert_eq!(
            base64_problem("Invalid symbol 10, offset 152.")
                .unwrap()
                .id(),
            "base64-wrapped"
        );
        assert_eq!(
            base64_problem("Invalid symbol 32, offset 5.").unwrap().id(),
            "base64-space"
        );
        assert_eq!(
            base64_problem("Invalid symbol 123, offset 0.")
                .unwrap()
                .id(),
            "base64-json"
        );
        let symbol = base64_problem("Invalid symbol 42, offset 3.").unwrap();
        assert!(symbol.render(Lang::En).contains("`*`"), "{symbol}");
        assert_eq!(
            base64_problem("Invalid last symbol 66, offset 3.")
                .unwrap()
                .id(),
            "base64-last-symbol"
        );
        assert_eq!(
            base64_problem("Invalid input length: 5").unwrap().id(),
            "base64-length"
        );
        assert_eq!(
            base64_problem("Invalid padding").unwrap().id(),
            "base64-padding"
        );
        assert!(base64_problem("something else").is_none());
    }

    #[test]
    fn json_errors_name_the_mistake_and_the_place() {
        let error = serde_json::from_str::<serde_json::Value>("{\"a\": 1,}").unwrap_err();
        let problem = json_problem(&error);
        assert_eq!(problem.args()[0].0, "problem");
        let en = problem.render(Lang::En);
        assert!(
            en.contains("no comma after") && en.contains("line 1"),
            "{en}"
        );
        let ko = problem.render(Lang::Ko);
        assert!(ko.contains("쉼표") && ko.contains("1번째 줄"), "{ko}");
        let eof = serde_json::from_str::<serde_json::Value>("{\"a\": [1").unwrap_err();
        assert!(
            json_problem(&eof)
                .render(Lang::En)
                .contains("ends too early")
        );
    }
}
