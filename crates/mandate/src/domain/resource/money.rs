//! Money and time as integers, never floats: amounts in a currency's minor units (ISO 4217 says how many
//! digits), person-days in hundredths. Parsing refuses what people commonly mistype ("12,50", "-5") with a
//! message that says how to write it.

use crate::domain::Invalid;

/// Current ISO 4217 codes of national currencies (funds codes, metals and withdrawn codes left out: nobody
/// budgets in them).
const CODES: &str = "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD \
    CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD \
    HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD \
    MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG \
    QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD \
    TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG";
/// Currencies without a minor unit.
const NO_MINOR_UNIT: &str = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF";
/// Currencies with three minor-unit digits.
const THREE_DIGITS: &str = "BHD IQD JOD KWD LYD OMR TND";

/// The largest amount accepted in one field, in minor units (or hundredths of a day): sums over many records
/// stay far from `i64`'s limit.
pub const MAX_UNITS: i64 = 1_000_000_000_000_000;

/// An ISO 4217 currency Mandate knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(&'static str);

impl Currency {
    /// The default for organisations that have not chosen one.
    pub const EUR: Currency = Currency("EUR");

    /// Reads a currency code, in any case; unknown codes are refused.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let code = text.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(Invalid::new("give the currency as an ISO 4217 code, e.g. EUR"));
        }
        CODES.split_ascii_whitespace().find(|c| *c == code).map(Currency).ok_or_else(|| {
            Invalid::new(format!(
                "'{}' is not a currency code Mandate knows; use an ISO 4217 code such as EUR, USD, GBP or CHF",
                text.trim()
            ))
        })
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    /// How many digits the minor unit has (2 for EUR: cents; 0 for JPY).
    pub fn digits(self) -> u32 {
        digits_of(self.0)
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Minor-unit digits of a stored currency code (2 for any code not in the exception lists).
pub fn digits_of(code: &str) -> u32 {
    if NO_MINOR_UNIT.split_ascii_whitespace().any(|c| c == code) {
        0
    } else if THREE_DIGITS.split_ascii_whitespace().any(|c| c == code) {
        3
    } else {
        2
    }
}

/// Reads a non-negative decimal such as `1250.50` into an integer scaled by `10^digits`.
fn parse_scaled(text: &str, digits: u32, what: &str) -> Result<i64, Invalid> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Invalid::new(format!("{what} is empty; write a number like 1250.50")));
    }
    if t.starts_with('-') {
        return Err(Invalid::new(format!(
            "{what} cannot be negative ('{t}'); to undo a recorded entry, reverse it instead"
        )));
    }
    if t.contains(',') {
        return Err(Invalid::new(format!(
            "{what} '{t}' contains a comma; write it with a dot for decimals and no thousands separators, e.g. 12.50"
        )));
    }
    let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || (t.contains('.') && fraction.is_empty()) {
        return Err(Invalid::new(format!("{what} '{t}' is not a number; write it like 1250.50")));
    }
    if fraction.len() > digits as usize {
        return Err(Invalid::new(if digits == 0 {
            format!("{what} '{t}' has decimals, but this currency has no minor unit; give a whole number")
        } else {
            format!("{what} '{t}' has more than {digits} decimal places")
        }));
    }
    let too_large = || Invalid::new(format!("{what} '{t}' is too large"));
    let scale = 10i64.pow(digits);
    let whole: i64 = whole.parse().map_err(|_| too_large())?;
    let fraction: i64 = format!("{fraction:0<width$}", width = digits as usize).parse().unwrap_or(0);
    whole.checked_mul(scale).and_then(|w| w.checked_add(fraction)).filter(|v| *v <= MAX_UNITS).ok_or_else(too_large)
}

/// Reads an amount of `currency` into minor units: `"12.50"` EUR is 1250.
pub fn parse_amount(text: &str, currency: Currency, what: &str) -> Result<i64, Invalid> {
    parse_scaled(text, currency.digits(), what)
}

/// Reads person-days (at most two decimals) into hundredths: `"2.5"` is 250.
pub fn parse_person_days(text: &str, what: &str) -> Result<i64, Invalid> {
    parse_scaled(text, 2, what)
}

/// Writes a scaled integer as a plain decimal for machines: `(125050, 2)` is `"1250.50"`.
pub fn plain_decimal(value: i64, digits: u32) -> String {
    if digits == 0 {
        return value.to_string();
    }
    let scale = 10u64.pow(digits);
    let sign = if value < 0 { "-" } else { "" };
    let v = value.unsigned_abs();
    format!("{sign}{}.{:0width$}", v / scale, v % scale, width = digits as usize)
}

/// Writes an amount for people: `"12,500.50 EUR"`.
pub fn show_money(minor: i64, code: &str) -> String {
    format!("{} {code}", group_thousands(&plain_decimal(minor, digits_of(code))))
}

/// Writes person-days for people, without trailing zeros: `"2.5 person-days"`.
pub fn show_person_days(x100: i64) -> String {
    let text = plain_decimal(x100, 2);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let unit = if x100 == 100 { "person-day" } else { "person-days" };
    format!("{} {unit}", group_thousands(text))
}

fn group_thousands(decimal: &str) -> String {
    let (sign, rest) = decimal.strip_prefix('-').map_or(("", decimal), |r| ("-", r));
    let (whole, fraction) = rest.split_once('.').map_or((rest, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(text: &str) -> Result<i64, Invalid> {
        parse_amount(text, Currency::EUR, "the amount")
    }

    #[test]
    fn amounts_become_minor_units() {
        assert_eq!(eur("12.50"), Ok(1250));
        assert_eq!(eur("12.5"), Ok(1250));
        assert_eq!(eur(" 40000 "), Ok(4_000_000));
        assert_eq!(eur("0.01"), Ok(1));
        assert_eq!(eur("0"), Ok(0));
        let yen = Currency::parse("jpy").unwrap();
        assert_eq!(parse_amount("1500", yen, "x"), Ok(1500));
        let dinar = Currency::parse("KWD").unwrap();
        assert_eq!(parse_amount("1.005", dinar, "x"), Ok(1005));
    }

    #[test]
    fn mistyped_amounts_are_refused_with_a_way_out() {
        assert!(eur("12,50").unwrap_err().0.contains("dot for decimals"));
        assert!(eur("1,000.00").unwrap_err().0.contains("comma"));
        assert!(eur("-5").unwrap_err().0.contains("negative"));
        assert!(eur("12.505").unwrap_err().0.contains("more than 2 decimal places"));
        for bad in ["", "abc", "1e5", "12.", ".5", "1 000", "+3", "0x10", "١٢"] {
            assert!(eur(bad).is_err(), "{bad:?}");
        }
        assert!(parse_amount("10.5", Currency::parse("JPY").unwrap(), "x").unwrap_err().0.contains("no minor unit"));
        assert!(eur("99999999999999999999").unwrap_err().0.contains("too large"));
        assert!(eur("10000000000000.01").unwrap_err().0.contains("too large"));
        assert_eq!(eur("10000000000000.00"), Ok(MAX_UNITS));
    }

    #[test]
    fn currencies_are_iso_4217_codes() {
        assert_eq!(Currency::parse(" usd ").unwrap().code(), "USD");
        assert_eq!(Currency::parse("EUR").unwrap(), Currency::EUR);
        assert!(Currency::parse("EURO").unwrap_err().0.contains("ISO 4217"));
        assert!(Currency::parse("XAU").is_err(), "metals are not budget currencies");
        assert!(Currency::parse("").is_err());
        assert_eq!(Currency::parse("JPY").unwrap().digits(), 0);
        assert_eq!(Currency::parse("BHD").unwrap().digits(), 3);
        assert_eq!(Currency::EUR.digits(), 2);
    }

    #[test]
    fn person_days_are_hundredths() {
        assert_eq!(parse_person_days("2.5", "time"), Ok(250));
        assert_eq!(parse_person_days("0.25", "time"), Ok(25));
        assert!(parse_person_days("0.125", "time").is_err());
        assert!(parse_person_days("-1", "time").is_err());
    }

    #[test]
    fn amounts_are_written_back_exactly() {
        assert_eq!(plain_decimal(125_050, 2), "1250.50");
        assert_eq!(plain_decimal(-5, 2), "-0.05");
        assert_eq!(plain_decimal(1500, 0), "1500");
        assert_eq!(show_money(1_250_050, "EUR"), "12,500.50 EUR");
        assert_eq!(show_money(-100_000, "EUR"), "-1,000.00 EUR");
        assert_eq!(show_money(1_500_000, "JPY"), "1,500,000 JPY");
        assert_eq!(show_person_days(250), "2.5 person-days");
        assert_eq!(show_person_days(100), "1 person-day");
        assert_eq!(show_person_days(123_400), "1,234 person-days");
        for text in ["0.01", "12.50", "40000.00"] {
            assert_eq!(plain_decimal(eur(text).unwrap(), 2), text);
        }
    }
}
