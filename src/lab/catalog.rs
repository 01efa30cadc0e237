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

    /// Every lab folder under `dir` (each holding a `lab.yaml`).
    pub fn from_dir(dir: &Path) -> Result<Self, LabError> {
        let unreadable = |e: std::io::Error| LabError {
            file: dir.display().to_string(),
            line: None,
            message: format!("cannot read the labs folder: {e}"),
            help: "pass a folder whose subfolders each hold a lab.yaml".into(),
        };
        let mut folders = BTreeMap::new();
        for entry in std::fs::read_dir(dir).map_err(unreadable)? {
            let path = entry.map_err(unreadable)?.path();
            if path.join("lab.yaml").is_file() {
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                let mut files = BTreeMap::new();
                read_tree(&path, &path, &mut files).map_err(unreadable)?;
                folders.insert(name, files);
            }
        }
        Self::from_folders(&dir.display().to_string(), folders)
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

fn read_tree(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
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
