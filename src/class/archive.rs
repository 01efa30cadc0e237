//! Learners handed in as archives (`alice.zip`, `bob.tar.gz`, `bob.tgz`): unpacked
//! safely into a temporary folder that lives as long as the learner's handle.
//!
//! An archive is untrusted input. What is refused (the learner's row then says why;
//! the others are graded):
//!
//! - entries with an absolute path, a `..` component, or a Windows drive/UNC prefix
//!   ("zip slip"): nothing is ever written outside the temporary folder;
//! - links (symbolic or hard), devices, FIFOs: only regular files and folders;
//! - more than [`MAX_ENTRIES`] entries, an archive file over [`MAX_ARCHIVE_BYTES`],
//!   one entry over [`crate::manifest::MAX_FILE_SIZE`] or all entries together over
//!   [`MAX_UNPACKED_BYTES`] — counted on the bytes actually decompressed, not on the
//!   sizes the archive claims (a zip bomb lies about them).
//!
//! Formats: ZIP (stored or deflate, `zip` crate) and gzip-compressed tar (`tar` +
//! `flate2`).

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The largest archive file read, compressed.
pub const MAX_ARCHIVE_BYTES: u64 = 16 << 20;
/// All entries of one archive together, decompressed.
pub const MAX_UNPACKED_BYTES: u64 = 16 << 20;
/// Entries (files and folders) in one archive.
pub const MAX_ENTRIES: usize = 1_000;

/// The archive kinds a class folder may hold, by file name; `None` for anything else.
pub fn learner_id(file_name: &str) -> Option<&str> {
    let lower = file_name.to_ascii_lowercase();
    [".tar.gz", ".tgz", ".zip"]
        .iter()
        .find(|ext| lower.ends_with(*ext) && lower.len() > ext.len())
        .map(|ext| &file_name[..file_name.len() - ext.len()])
}

/// Unpacks `archive` into `into` (an empty folder). Errors are sentences for the
/// learner's row: what is wrong, naming the entry.
pub fn unpack(archive: &Path, into: &Path) -> Result<(), String> {
    let size = std::fs::metadata(archive)
        .map_err(|e| format!("cannot be read: {e}"))?
        .len();
    if size > MAX_ARCHIVE_BYTES {
        return Err(format!(
            "the archive is {size} bytes; at most {MAX_ARCHIVE_BYTES} are read"
        ));
    }
    let file = std::fs::File::open(archive).map_err(|e| format!("cannot be read: {e}"))?;
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut budget = Budget::default();
    if name.ends_with(".zip") {
        unpack_zip(file, into, &mut budget)
    } else {
        unpack_tar_gz(file, into, &mut budget)
    }
}

#[derive(Default)]
struct Budget {
    entries: usize,
    bytes: u64,
}

impl Budget {
    fn entry(&mut self) -> Result<(), String> {
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return Err(format!("the archive has more than {MAX_ENTRIES} entries"));
        }
        Ok(())
    }
}

/// The entry's path inside `into`, or why it is refused.
fn safe_path(into: &Path, entry: &str) -> Result<PathBuf, String> {
    let relative = Path::new(entry);
    let mut out = into.to_path_buf();
    for component in relative.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                return Err(format!("entry `{entry}` climbs out of the archive (`..`)"));
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("entry `{entry}` has an absolute path"));
            }
        }
    }
    if entry.contains('\\') && (entry.contains("..") || entry.starts_with('\\')) {
        return Err(format!("entry `{entry}` climbs out of the archive"));
    }
    Ok(out)
}

/// Copies one file's bytes, counting what is really decompressed.
fn write_file(
    path: &Path,
    entry: &str,
    data: &mut dyn Read,
    budget: &mut Budget,
) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot unpack `{entry}`: {e}"))?;
    }
    let limit = crate::manifest::MAX_FILE_SIZE;
    let mut out =
        std::fs::File::create(path).map_err(|e| format!("cannot unpack `{entry}`: {e}"))?;
    let copied = std::io::copy(&mut data.take(limit + 1), &mut out)
        .map_err(|e| format!("entry `{entry}` cannot be decompressed: {e}"))?;
    if copied > limit {
        return Err(format!("entry `{entry}` is larger than {limit} bytes"));
    }
    budget.bytes += copied;
    if budget.bytes > MAX_UNPACKED_BYTES {
        return Err(format!(
            "the archive unpacks to more than {MAX_UNPACKED_BYTES} bytes"
        ));
    }
    Ok(())
}

fn unpack_zip(file: std::fs::File, into: &Path, budget: &mut Budget) -> Result<(), String> {
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| format!("not a readable ZIP archive: {e}"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!("the archive has more than {MAX_ENTRIES} entries"));
    }
    for index in 0..zip.len() {
        budget.entry()?;
        let mut entry = zip
            .by_index(index)
            .map_err(|e| format!("entry {index} cannot be read: {e}"))?;
        let name = entry.name().to_string();
        let path = safe_path(into, &name)?;
        if entry.is_symlink() {
            return Err(format!(
                "entry `{name}` is a symbolic link; only files are read"
            ));
        }
        if entry.is_dir() {
            std::fs::create_dir_all(&path).map_err(|e| format!("cannot unpack `{name}`: {e}"))?;
            continue;
        }
        if !entry.is_file() {
            return Err(format!("entry `{name}` is not a regular file"));
        }
        write_file(&path, &name, &mut entry, budget)?;
    }
    Ok(())
}

fn unpack_tar_gz(file: std::fs::File, into: &Path, budget: &mut Budget) -> Result<(), String> {
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let entries = tar
        .entries()
        .map_err(|e| format!("not a readable .tar.gz archive: {e}"))?;
    for entry in entries {
        budget.entry()?;
        let mut entry = entry.map_err(|e| format!("not a readable .tar.gz archive: {e}"))?;
        let name = entry
            .path()
            .map_err(|e| format!("an entry's name cannot be read: {e}"))?
            .to_string_lossy()
            .into_owned();
        let path = safe_path(into, &name)?;
        match entry.header().entry_type() {
            tar::EntryType::Directory => {
                std::fs::create_dir_all(&path)
                    .map_err(|e| format!("cannot unpack `{name}`: {e}"))?;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                write_file(&path, &name, &mut entry, budget)?;
            }
            // pax/GNU metadata records describe the next entry; the tar crate applies them.
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader => {}
            tar::EntryType::Symlink | tar::EntryType::Link => {
                return Err(format!("entry `{name}` is a link; only files are read"));
            }
            other => {
                return Err(format!("entry `{name}` is not a regular file ({other:?})"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names_give_learner_ids() {
        assert_eq!(learner_id("alice.zip"), Some("alice"));
        assert_eq!(learner_id("Bob.TAR.GZ"), Some("Bob"));
        assert_eq!(learner_id("c.tgz"), Some("c"));
        assert_eq!(learner_id(".zip"), None);
        assert_eq!(learner_id("notes.txt"), None);
        assert_eq!(learner_id("a.tar"), None);
    }

    #[test]
    fn paths_never_leave_the_folder() {
        let into = Path::new("/tmp/x");
        assert_eq!(
            safe_path(into, "a/b.yaml").unwrap(),
            Path::new("/tmp/x/a/b.yaml")
        );
        assert_eq!(
            safe_path(into, "./a.yaml").unwrap(),
            Path::new("/tmp/x/a.yaml")
        );
        assert!(
            safe_path(into, "../a.yaml")
                .unwrap_err()
                .contains("climbs out")
        );
        assert!(safe_path(into, "a/../../b").is_err());
        assert!(
            safe_path(into, "/etc/passwd")
                .unwrap_err()
                .contains("absolute")
        );
        assert!(safe_path(into, "..\\..\\evil").is_err());
    }
}
