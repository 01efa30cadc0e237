//! Kubernetes resource quantities (`500m`, `1`, `256Mi`, `1.5G`, `2e3`), parsed to an
//! exact count of nano-units for comparisons, as `k8s.io/apimachinery/pkg/api/resource`
//! (`quantity.go`, `ParseQuantity`) reads them: an optional sign, a decimal number, then
//! a binary suffix (`Ki`…`Ei`), a decimal suffix (`n`, `u`, `m`, ``, `k`, `M`…`E`) or a
//! decimal exponent (`e3`, `E-2`).

/// A quantity in nano-units (10⁻⁹ of the base unit: cores, bytes), saturating at the
/// bounds of `i128` (far above any real resource).
pub type Nanos = i128;

/// Parses a quantity; `None` when it is not one (the API server then refuses the object
/// with "quantities must match the regular expression …").
pub fn parse(text: &str) -> Option<Nanos> {
    let text = text.trim();
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let number_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(number_end);
    if number.is_empty() || number == "." || number.matches('.').count() > 1 {
        return None;
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    // digits as an integer, and the power of ten that scales it to units
    let digits: String = format!("{whole}{fraction}");
    if digits.len() > 60 {
        return None;
    }
    let mut mantissa: i128 = 0;
    for d in digits.bytes() {
        mantissa = mantissa
            .saturating_mul(10)
            .saturating_add((d - b'0') as i128);
    }
    let mut exp10: i32 = -(fraction.len() as i32);
    let mut multiplier: i128 = 1;
    match suffix {
        "" => {}
        "n" => exp10 -= 9,
        "u" => exp10 -= 6,
        "m" => exp10 -= 3,
        "k" => exp10 += 3,
        "M" => exp10 += 6,
        "G" => exp10 += 9,
        "T" => exp10 += 12,
        "P" => exp10 += 15,
        "E" => exp10 += 18,
        "Ki" => multiplier = 1 << 10,
        "Mi" => multiplier = 1 << 20,
        "Gi" => multiplier = 1 << 30,
        "Ti" => multiplier = 1 << 40,
        "Pi" => multiplier = 1 << 50,
        "Ei" => multiplier = 1 << 60,
        s if s.starts_with(['e', 'E']) => {
            let e: i32 = s[1..].parse().ok()?;
            if !(-100..=100).contains(&e) {
                return None;
            }
            exp10 += e;
        }
        _ => return None,
    }
    // to nano-units
    exp10 += 9;
    let mut value = mantissa.saturating_mul(multiplier);
    if exp10 >= 0 {
        for _ in 0..exp10 {
            value = value.saturating_mul(10);
        }
    } else {
        // Below a nano-unit the API server rounds up (`resource.Quantity` keeps
        // at most nano precision, rounding away from zero).
        let mut divisor: i128 = 1;
        for _ in 0..(-exp10).min(38) {
            divisor = divisor.saturating_mul(10);
        }
        value = value / divisor + i128::from(value % divisor != 0);
    }
    Some(if negative { -value } else { value })
}

/// A quantity as the API server writes it back (`Quantity.String()`, which
/// `CanonicalizeBytes` produces): in the format its suffix chose — binary (`Ki`…`Ei`),
/// decimal (`n`…`E`, or none) or a decimal exponent (`e3`) — with the largest suffix
/// that keeps the number whole: `2048Mi` → `2Gi`, `1000M` → `1G`, `0.5` → `500m`,
/// `1.5e9` → `1500e6`. A binary quantity that is not a whole number of units, or is
/// below 1024 in size, is written in decimal (`0.5Ki` → `512`, `1.5` stays decimal).
/// `None` when `text` is not a quantity. Models `apimachinery/pkg/api/resource`
/// (`quantity.go`: `String`, `CanonicalizeBytes`).
pub fn canonical(text: &str) -> Option<String> {
    let nanos = parse(text)?;
    if nanos == 0 {
        return Some("0".into());
    }
    let trimmed = text.trim().trim_start_matches(['+', '-']);
    let suffix = trimmed.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let sign = if nanos < 0 { "-" } else { "" };
    let abs = nanos.unsigned_abs();
    const UNIT: u128 = 1_000_000_000;
    let binary = suffix.len() == 2 && suffix.ends_with('i');
    if binary && abs >= 1024 * UNIT && abs % UNIT == 0 {
        let mut units = abs / UNIT;
        let mut power = 0;
        while units.is_multiple_of(1024) && power < 6 {
            units /= 1024;
            power += 1;
        }
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power];
        return Some(format!("{sign}{units}{suffix}"));
    }
    // Decimal: the largest exponent (a multiple of 3, -9 to 18) that keeps it whole.
    let mut mantissa = abs;
    let mut exponent: i32 = -9;
    while mantissa.is_multiple_of(1000) && exponent < 18 {
        mantissa /= 1000;
        exponent += 3;
    }
    let suffix = if suffix.starts_with(['e', 'E']) {
        if exponent == 0 {
            String::new()
        } else {
            format!("e{exponent}")
        }
    } else {
        match exponent {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            _ => "E",
        }
        .to_string()
    };
    Some(format!("{sign}{mantissa}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::{canonical, parse};

    #[test]
    fn quantities_are_written_back_as_the_api_server_writes_them() {
        for (text, written) in [
            ("2Gi", "2Gi"),
            ("2048Mi", "2Gi"),
            ("1536Mi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("0.5Ki", "512"),
            ("1073741824.5", "1073741824500m"),
            ("1073741825", "1073741825"),
            ("1000M", "1G"),
            ("1500M", "1500M"),
            ("0.5", "500m"),
            ("1", "1"),
            ("1e9", "1e9"),
            ("1.5e9", "1500e6"),
            ("0", "0"),
            ("0Gi", "0"),
        ] {
            assert_eq!(canonical(text).as_deref(), Some(written), "{text}");
        }
    }

    #[test]
    fn quantities_parse_as_the_api_server_reads_them() {
        let n = 1_000_000_000i128;
        assert_eq!(parse("1"), Some(n));
        assert_eq!(parse("500m"), Some(n / 2));
        assert_eq!(parse("0.5"), Some(n / 2));
        assert_eq!(parse(".5"), Some(n / 2));
        assert_eq!(parse("256Mi"), Some(256 * (1 << 20) * n));
        assert_eq!(parse("1.5Gi"), Some(3 * (1 << 29) * n));
        assert_eq!(parse("1k"), Some(1000 * n));
        assert_eq!(parse("2e3"), Some(2000 * n));
        assert_eq!(parse("1E-3"), Some(n / 1000));
        assert_eq!(parse("-1"), Some(-n));
        assert_eq!(parse("1n"), Some(1));
        assert_eq!(parse("0.1n"), Some(1));
        for bad in ["", "m", "1mi", "1..2", "abc", "1 Gi", "1e"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
