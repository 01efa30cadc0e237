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

#[cfg(test)]
mod tests {
    use super::parse;

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
