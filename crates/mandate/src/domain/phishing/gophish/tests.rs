use super::*;

const HEAD: &str =
    "id,status,ip,latitude,longitude,send_date,reported,modified_date,email,first_name,last_name,position\n";

fn file(lines: &[&str]) -> Vec<u8> {
    let mut text = HEAD.to_string();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text.into_bytes()
}

const GOOD: &str = "a1,Clicked Link,192.0.2.7,48.85,2.35,2024-03-05T09:12:44.123456789Z,false,2024-03-05T10:12:44+01:00,Ada@Example.org,Ada,Lovelace,Analyst";

fn problems(bytes: &[u8]) -> Vec<Problem> {
    parse(bytes).expect_err("the file should be refused")
}

#[test]
fn reads_a_good_line() {
    let rows = parse(&file(&[GOOD])).unwrap();
    let row = &rows[0];
    assert_eq!(row.line, 2);
    assert_eq!(row.stage, Stage::Clicked);
    assert_eq!(row.email, "ada@example.org");
    assert_eq!(row.sent_at, Some(1_709_629_964));
    assert_eq!(row.modified_at, Some(1_709_629_964), "the offset is applied");
    assert!(!row.reported);
    assert_eq!(row.position, "Analyst");
}

#[test]
fn dates_as_gophish_writes_them() {
    assert_eq!(parse_time("2024-03-05T09:12:44Z"), Ok(Some(1_709_629_964)));
    assert_eq!(parse_time("2024-03-05T09:12:44.5Z"), Ok(Some(1_709_629_964)));
    assert_eq!(parse_time("2024-03-05T09:12:44.123456789Z"), Ok(Some(1_709_629_964)));
    assert_eq!(parse_time("2024-03-05T10:12:44+01:00"), Ok(Some(1_709_629_964)));
    assert_eq!(parse_time("0001-01-01T00:00:00Z"), Ok(None), "GoPhish's never");
    assert_eq!(parse_time(""), Ok(None));
    assert!(parse_time("2024-03-05 09:12:44").is_err());
    assert!(parse_time("05/03/2024").is_err());
    assert!(parse_time("2024-03-05T09:12:44").is_err(), "a time without an offset is ambiguous");
}

#[test]
fn a_bom_is_fine_and_latin1_is_refused_with_its_line() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(file(&[GOOD]));
    assert_eq!(parse(&bytes).unwrap().len(), 1);
    let mut latin1 = file(&[GOOD]);
    latin1.extend(b"a2,Email Sent,,0,0,2024-03-05T09:12:44Z,false,2024-03-05T09:12:44Z,jose@example.org,Jos\xe9,Garc\xeda,Driver\n");
    let found = problems(&latin1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, 3);
    assert!(found[0].problem.contains("0xE9") && found[0].expected.contains("UTF-8"), "{found:?}");
}

#[test]
fn the_header_must_be_gophish_s() {
    let renamed = HEAD.replace("email,", "mail,");
    let found = problems(format!("{renamed}{GOOD}\n").as_bytes());
    assert!(found.iter().any(|p| p.column.as_deref() == Some("mail") && p.problem.contains("not a GoPhish")));
    assert!(found.iter().any(|p| p.column.as_deref() == Some("email") && p.problem.contains("missing")));
    let extra = HEAD.replace("position\n", "position,department\n");
    let found = problems(format!("{extra}{GOOD},IT\n").as_bytes());
    assert_eq!(found[0].column.as_deref(), Some("department"));
    let missing = HEAD.replace(",position\n", "\n");
    let found = problems(missing.as_bytes());
    assert!(found[0].problem.contains("'position' is missing"), "{found:?}");
    assert!(found.iter().all(|p| p.line == 1 && p.expected.contains("id,status,ip")));
    let wide = format!("{}\n", vec!["x"; 100_000].join(","));
    let found = problems(wide.as_bytes());
    assert_eq!(found.len(), 1, "a header of 100,000 columns is one problem, not 100,000");
    assert!(found[0].problem.contains("100000 columns"), "{found:?}");
}

#[test]
fn empty_files_and_files_without_results() {
    assert!(problems(b"")[0].problem.contains("empty"));
    assert!(problems(b"\xef\xbb\xbf\n")[0].problem.contains("empty"));
    assert!(problems(HEAD.as_bytes())[0].problem.contains("no results"));
}

#[test]
fn every_broken_field_is_reported_with_its_column() {
    let bad = "a3,Phished,192.0.2.7,north,2.35,yesterday,maybe,2024-13-05T09:12:44Z,not-an-address,B,C,D";
    let found = problems(&file(&[GOOD, bad]));
    let columns: Vec<&str> = found.iter().filter_map(|p| p.column.as_deref()).collect();
    assert_eq!(columns, ["status", "latitude", "send_date", "modified_date", "reported", "email"], "{found:?}");
    assert!(found.iter().all(|p| p.line == 3));
    assert!(found[0].problem.contains("unknown status 'Phished'"));
    assert_eq!(found[4].expected, "true or false");
}

#[test]
fn empty_emails_and_ids_are_refused() {
    let found = problems(&file(&[",Email Sent,,0,0,2024-03-05T09:12:44Z,false,2024-03-05T09:12:44Z,,A,B,C"]));
    let columns: Vec<&str> = found.iter().filter_map(|p| p.column.as_deref()).collect();
    assert_eq!(columns, ["id", "email"]);
}

#[test]
fn duplicates_by_id_and_by_email() {
    let same_id = GOOD.replace("Ada@Example.org", "other@example.org");
    let found = problems(&file(&[GOOD, &same_id]));
    assert_eq!((found[0].line, found[0].column.as_deref()), (3, Some("id")));
    assert!(found[0].problem.contains("already on line 2"));
    let same_email = GOOD.replacen("a1", "a2", 1).replace("Ada@Example.org", "ada@example.org");
    let found = problems(&file(&[GOOD, &same_email]));
    assert_eq!((found[0].line, found[0].column.as_deref()), (3, Some("email")));
}

#[test]
fn a_line_with_the_wrong_number_of_fields() {
    let found = problems(&file(&[GOOD, "a2,Email Sent,1.2.3.4"]));
    assert_eq!(found[0].line, 3);
    assert!(found[0].problem.contains("3 fields"), "{found:?}");
}

#[test]
fn reported_status_counts_as_reported_and_statuses_map_to_stages() {
    let reported = GOOD.replace("Clicked Link", "Email Reported");
    let scheduled = GOOD.replacen("a1", "a2", 1).replace("Clicked Link", "Scheduled").replace("Ada@", "bo@");
    let rows = parse(&file(&[&reported, &scheduled])).unwrap();
    assert_eq!((rows[0].stage, rows[0].reported), (Stage::Sent, true));
    assert_eq!((rows[1].stage, rows[1].reported), (Stage::NotSent, false));
}
