//! Where labs come from: the labs embedded in the binary, or a folder of labs.

use super::error::LabError;
use super::load::load_lab;
use super::model::Lab;
use std::collections::BTreeMap;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/embedded_labs.rs"));

/// The labs of one source, by id.
pub struct Catalog {
    labs: BTreeMap<String, Lab>,
}

impl Catalog {
    /// The labs built into this binary (from the repository's `labs/`).
    pub fn embedded() -> Result<Self, LabError> {
        let mut folders: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (path, text) in EMBEDDED_LAB_FILES {
            if let Some((folder, rest)) = path.split_once('/') {
                folders
                    .entry(folder.to_string())
                    .or_default()
                    .insert(rest.to_string(), text.to_string());
            }
        }
        let mut catalog = Self::from_folders("labs", folders)?;
        for lab in catalog.labs.values_mut() {
            lab.solution = embedded_solution(&lab.id)
                .into_iter()
                .map(|(name, text)| (name.to_string(), text.to_string()))
                .collect();
        }
        Ok(catalog)
    }

    /// Every lab folder under `dir` (each holding a `lab.yaml`), each with the
    /// reference solution in its `solution/` folder (see [`load_folder`]).
    pub fn from_dir(dir: &Path) -> Result<Self, LabError> {
        let unreadable = |e: std::io::Error| {
            LabError::said(
                &dir.display().to_string(),
                None,
                crate::msg!("lab-folder-unreadable", reason = e.to_string()),
                Some(crate::msg!("lab-labs-folder-help")),
            )
        };
        let mut labs = BTreeMap::new();
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(unreadable)? {
            let path = entry.map_err(unreadable)?.path();
            if path.join("lab.yaml").is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        for path in paths {
            let lab = load_folder(&path)?;
            labs.insert(lab.id.clone(), lab);
        }
        Ok(Self { labs })
    }

    fn from_folders(
        origin: &str,
        folders: BTreeMap<String, BTreeMap<String, String>>,
    ) -> Result<Self, LabError> {
        let mut labs = BTreeMap::new();
        for (name, files) in folders {
            let lab = load_lab(&format!("{origin}/{name}"), files)?;
            labs.insert(lab.id.clone(), lab);
        }
        Ok(Self { labs })
    }

    pub fn labs(&self) -> impl Iterator<Item = &Lab> {
        self.labs.values()
    }

    pub fn get(&self, id: &str) -> Option<&Lab> {
        self.labs.get(id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.labs.keys().map(String::as_str).collect()
    }
}

/// The seed's reference solution of a built-in lab (a variant's is
/// [`Lab::solution_files`]): (file name, contents), sorted by name.
pub fn embedded_solution(lab: &str) -> Vec<(&'static str, &'static str)> {
    EMBEDDED_SOLUTION_FILES
        .iter()
        .filter_map(|(path, text)| {
            let (folder, file) = path.split_once('/')?;
            (folder == lab).then_some((file, *text))
        })
        .collect()
}

/// One lab folder `dir` (`labs/network-policy`): its `lab.yaml`, fixtures and probes,
/// and its reference solution, the files of its `solution/` folder (none when it has
/// none). Its `corpus/` (the lab's test cases) is not read. Errors name `dir` as given.
pub fn load_folder(dir: &Path) -> Result<Lab, LabError> {
    // `labs/network-policy/` and `.` are named as written; the id is matched against
    // the folder's own name.
    let shown = dir.display().to_string();
    let trimmed = shown.trim_end_matches('/');
    let origin = match dir.file_name() {
        Some(_) if !trimmed.is_empty() => trimmed.to_string(),
        _ => std::fs::canonicalize(dir)
            .map(|p| p.display().to_string())
            .unwrap_or(shown.clone()),
    };
    let unreadable = |e: std::io::Error| {
        LabError::said(
            &shown,
            None,
            crate::msg!("lab-folder-unreadable", reason = e.to_string()),
            Some(crate::msg!("lab-folder-help")),
        )
    };
    std::fs::read_dir(dir).map_err(unreadable)?;
    if !dir.join("lab.yaml").is_file() {
        return Err(LabError::said(
            &shown,
            None,
            crate::msg!("lab-folder-no-lab-yaml"),
            Some(crate::msg!("lab-folder-help")),
        ));
    }
    let mut files = BTreeMap::new();
    read_tree(dir, dir, &mut files).map_err(unreadable)?;
    let mut solution = Vec::new();
    let solution_dir = dir.join("solution");
    if solution_dir.is_dir() {
        let mut found = BTreeMap::new();
        read_tree(&solution_dir, &solution_dir, &mut found).map_err(unreadable)?;
        solution = found.into_iter().collect();
    }
    let mut lab = load_lab(&origin, files)?;
    lab.solution = solution;
    Ok(lab)
}

/// The files of a lab folder by relative path, leaving out its `solution/` and
/// `corpus/` folders (at the top of the lab folder).
fn read_tree(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            let top = dir == root;
            let name = path.file_name().unwrap_or_default();
            if top && (name == "solution" || name == "corpus") {
                continue;
            }
            read_tree(root, &path, files)?;
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(relative, text);
        }
    }
    Ok(())
}
