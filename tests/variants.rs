//! Variants, as a property: for 200 random seeds, every lab's variant loads, its
//! reference solution passes offline, the untouched scenario fails, and the seed
//! material's own answer fails with a located note for each value it names that the
//! variant changed. A golden test pins the values of one seed, so that a seed means the
//! same exercise on every machine and in every later kubelab version.

use kubelab::grade::Grader;
use kubelab::lab::{Catalog, Lab, Lang};
use kubelab::manifest::{self, Submission};
use std::sync::Arc;

const SEEDS: usize = 200;

fn submission(files: &[(String, String)]) -> Submission {
    let mut objects = Vec::new();
    let mut sources = Vec::new();
    for (name, text) in files {
        objects.extend(manifest::load_text(name, text).unwrap_or_else(|e| panic!("{name}: {e}")));
        sources.push(Arc::new(manifest::SourceFile {
            display: name.clone(),
            text: text.clone(),
        }));
    }
    Submission {
        files: sources,
        objects,
        notes: Vec::new(),
    }
}

/// A DNS-1123 label (pod, container, policy, secret names).
fn is_dns_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn random_seed() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let len = rng.random_range(1..24);
    (0..len)
        .map(|_| rng.random_range(b' '..=b'~') as char)
        .collect()
}

fn check_values(lab: &Lab, seed: &str) {
    for (name, value) in &lab.values {
        let default = &lab.params.get(name).map(|p| p.default.clone());
        if name.ends_with("_pod")
            || name.ends_with("_policy")
            || ["pod", "container", "secret", "username"].contains(&name.as_str())
        {
            assert!(
                is_dns_label(value),
                "{}[{seed:?}]: {name} = {value:?}",
                lab.id
            );
        }
        if let Ok(number) = value.parse::<u32>()
            && default.as_ref().is_some_and(|d| d.parse::<u32>().is_ok())
        {
            // Unprivileged IDs (from 1000, as useradd gives) and ports (not below 1024).
            let lowest = if name.contains("port") { 1024 } else { 1000 };
            assert!(
                (lowest..=65535).contains(&number),
                "{}[{seed:?}]: {name} = {number}",
                lab.id
            );
        }
    }
    // Fixture pods' labels never collide: a policy selecting one selects only it.
    let mut labels = Vec::new();
    for fixture in &lab.fixtures {
        for object in manifest::load_text(&fixture.file, &fixture.text).unwrap() {
            if object.kind == "Pod" {
                labels.push(format!("{:?}", object.value["metadata"]["labels"]));
            }
        }
    }
    let count = labels.len();
    labels.sort();
    labels.dedup();
    assert_eq!(
        labels.len(),
        count,
        "{}[{seed:?}]: pods share labels",
        lab.id
    );
}

#[test]
fn every_variant_of_every_lab_is_solvable_and_the_seed_answer_fails_it() {
    let catalog = Catalog::embedded().unwrap();
    let seeds: Vec<String> = (0..SEEDS).map(|_| random_seed()).collect();
    println!("seeds: {seeds:?}");
    for base in catalog.labs() {
        assert!(base.varies(), "{} has no varying parameter", base.id);
        let seed_answer = submission(&base.solution_files());
        for seed in &seeds {
            let lab = base
                .variant(Some(seed))
                .unwrap_or_else(|e| panic!("{}[{seed:?}] does not load: {e}", base.id));
            check_values(&lab, seed);
            let grader = Grader::new(&lab);

            let solution = submission(&lab.solution_files());
            let result = grader.grade(&solution, Lang::En);
            assert!(
                result.passed,
                "{}[{seed:?}]: the variant's solution fails: {:#?}",
                lab.id,
                result
                    .checks()
                    .filter(|(_, c)| c.verdict != kubelab::check::Verdict::Pass)
                    .map(|(_, c)| (&c.id, &c.message))
                    .collect::<Vec<_>>()
            );
            assert!(
                result.notes.is_empty(),
                "{}[{seed:?}]: notes on the variant's own solution: {:?}",
                lab.id,
                result.notes
            );

            let untouched = grader.grade(&Submission::default(), Lang::En);
            assert!(!untouched.passed, "{}[{seed:?}]: untouched passes", lab.id);

            // Every variant changes every varying value, and the seed's answer names
            // them all: it must fail, with a note at each value it still has.
            let changed = lab.changed_values();
            assert!(!changed.is_empty());
            let graded = grader.grade(&seed_answer, Lang::En);
            assert!(
                !graded.passed,
                "{}[{seed:?}]: the seed's answer passes a variant",
                lab.id
            );
            assert!(graded.score < graded.max_score);
            let notes: Vec<&String> = graded
                .notes
                .iter()
                .filter(|n| n.contains("in your variant"))
                .collect();
            assert!(
                !notes.is_empty() && notes.iter().all(|n| n.contains(".yaml:")),
                "{}[{seed:?}]: no located variant note: {:?}",
                lab.id,
                graded.notes
            );
        }
    }
}

/// One seed's values, pinned: changing a lab's `vary` lists, the hash or the way a
/// value is picked changes every learner's exercise, and must be a conscious decision.
#[test]
fn a_seed_gives_the_same_values_everywhere() {
    let catalog = Catalog::embedded().unwrap();
    let mut out = String::new();
    for base in catalog.labs() {
        let lab = base.variant(Some("han@example.com")).unwrap();
        for (name, value) in &lab.values {
            if name != "dockerconfigjson" {
                out.push_str(&format!("{} {name} = {value}\n", lab.id));
            }
        }
    }
    insta::assert_snapshot!("values-of-han", out);
}

/// The seed's exercise is the default: no seed changes nothing, and the committed
/// solution is the default's solution byte for byte.
#[test]
fn no_seed_is_the_seed_material() {
    let catalog = Catalog::embedded().unwrap();
    for lab in catalog.labs() {
        assert!(lab.variant.is_none());
        assert!(lab.changed_values().is_empty());
        let same = lab.variant(None).unwrap();
        assert_eq!(same.values, lab.values);
        for ((a, x), (b, y)) in lab
            .solution_files()
            .iter()
            .zip(kubelab::lab::embedded_solution(&lab.id))
        {
            assert_eq!((a.as_str(), x.as_str()), (b, y));
        }
    }
}
