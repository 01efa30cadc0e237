//! The gradebook imports of the two LMSs our instructors use, each a consumer of the
//! class report's rows (`kubelab class --roster FILE --output moodle-csv:FILE` or
//! `canvas-csv:FILE`).
//!
//! Both files identify students by the roster's columns (a row the LMS cannot match is
//! one it refuses), so they need `--roster`; a learner the roster does not list is left
//! out of them and named on stderr (the other reports keep them).
//!
//! Shapes (one row per roster student, in learner-id order; `LAB` is the lab id, `STEP`
//! a step id; `--gradebook-columns lab` gives one grade column, `steps` one per step):
//!
//! - **Moodle** (Grades → Import → CSV file; map `ID number` or `Email address` to the
//!   user, each `kubelab: …` column to a grade item, `Feedback` to its feedback):
//!   `ID number,Email address,Full name,kubelab: LAB[/STEP]…,Feedback`.
//! - **Canvas** (Grades → Import; the layout of Canvas's own gradebook export, whose
//!   required columns are `Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`; a
//!   column Canvas does not know becomes a new assignment of that name):
//!   `Student,ID,SIS User ID,SIS Login ID,Section,kubelab: LAB[/STEP]…`, then a
//!   `    Points Possible` row with each column's maximum, as Canvas's export writes it.
//!   The roster's `student_id` is the `SIS User ID` and its `email` the `SIS Login ID`;
//!   Canvas's internal `ID` is left empty.
//!
//! Cells: the points (an integer); **empty** for a student with no submission and for a
//! learner whose grade hit an environment error (not a grade: re-run them; both LMSs
//! leave a grade alone on an empty cell); `0` for unreadable input (the feedback says
//! why). Text cells are neutralised against formulas ([`super::report::neutralise`]) and
//! the file starts with a UTF-8 byte order mark unless `--csv-bom=false`.

use super::report::{self, ClassReport, neutralise};
use super::{LearnerResult, Outcome};
use crate::lab::Lab;

/// Which LMS's import layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lms {
    Moodle,
    Canvas,
}

/// One grade column for the lab, or one per step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Columns {
    #[default]
    Lab,
    Steps,
}

/// The grade columns: (header, maximum points).
fn grade_columns(lab: &Lab, columns: Columns) -> Vec<(String, u32)> {
    match columns {
        Columns::Lab => vec![(
            format!("kubelab: {}", lab.id),
            lab.steps
                .iter()
                .flat_map(|s| &s.checks)
                .map(|c| c.points)
                .sum(),
        )],
        Columns::Steps => lab
            .steps
            .iter()
            .map(|s| {
                (
                    format!("kubelab: {}/{}", lab.id, s.id),
                    s.checks.iter().map(|c| c.points).sum(),
                )
            })
            .collect(),
    }
}

/// A row's grade cells: see the module's "Cells".
fn grade_cells(row: &LearnerResult, lab: &Lab, columns: Columns) -> Vec<String> {
    let width = match columns {
        Columns::Lab => 1,
        Columns::Steps => lab.steps.len(),
    };
    match &row.outcome {
        _ if row.errored() => vec![String::new(); width],
        Outcome::Failed { kind: "absent", .. } => vec![String::new(); width],
        Outcome::Failed { .. } => vec!["0".to_string(); width],
        Outcome::Graded(result) => match columns {
            Columns::Lab => vec![result.score.to_string()],
            Columns::Steps => result.steps.iter().map(|s| s.score.to_string()).collect(),
        },
    }
}

/// The learners of the report that the roster does not list (left out of the file).
pub fn unlisted(report: &ClassReport) -> Vec<String> {
    report
        .rows()
        .into_iter()
        .filter(|row| report.student(&row.learner).is_none())
        .map(|row| row.learner)
        .collect()
}

/// The import file for `lms`: see the module documentation for its columns.
pub fn csv(report: &ClassReport, lms: Lms, columns: Columns, bom: bool) -> String {
    let (lab, lang) = report.lab();
    let grades = grade_columns(lab, columns);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = match lms {
        Lms::Moodle => ["ID number", "Email address", "Full name"]
            .map(String::from)
            .to_vec(),
        Lms::Canvas => ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
            .map(String::from)
            .to_vec(),
    };
    header.extend(grades.iter().map(|(name, _)| name.clone()));
    if lms == Lms::Moodle {
        header.push("Feedback".into());
    }
    writer.write_record(&header).expect("CSV to memory");
    if lms == Lms::Canvas {
        let mut points = vec!["    Points Possible".to_string()];
        points.extend(std::iter::repeat_n(String::new(), 4));
        points.extend(grades.iter().map(|(_, max)| max.to_string()));
        writer.write_record(&points).expect("CSV to memory");
    }
    for row in report.rows() {
        let Some(student) = report.student(&row.learner) else {
            continue;
        };
        let mut record: Vec<String> = match lms {
            Lms::Moodle => vec![
                neutralise(&student.id),
                neutralise(&student.email),
                neutralise(&student.name),
            ],
            Lms::Canvas => vec![
                neutralise(&student.name),
                String::new(),
                neutralise(&student.id),
                neutralise(&student.email),
                String::new(),
            ],
        };
        record.extend(grade_cells(&row, lab, columns));
        if lms == Lms::Moodle {
            let status = report::status_word(&row).render(lang);
            let why = match &row.outcome {
                Outcome::Graded(result) => report::first_failure(result, lang),
                Outcome::Failed { message, .. } => message.replace('\n', "; "),
            };
            let feedback = if why.is_empty() {
                status
            } else {
                format!("{status}: {why}")
            };
            record.push(neutralise(&feedback));
        }
        writer.write_record(&record).expect("CSV to memory");
    }
    let text =
        String::from_utf8(writer.into_inner().expect("CSV to memory")).expect("CSV is UTF-8");
    if bom { format!("\u{feff}{text}") } else { text }
}
