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
//! Formats: ZIP (stored or deflate, `zip` crate), and tar (`tar`) plain or compressed
//! with gzip (`flate2`), xz (`liblzma`) or bzip2 (`bzip2`). RAR and 7z are named, not
//! read: the learner's row says to hand in a `.zip`.

use crate::i18n::Message;
use crate::msg;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The largest archive file read, compressed.
pub const MAX_ARCHIVE_BYTES: u64 = 16 << 20;
/// All entries of one archive together, decompressed.
pub const MAX_UNPACKED_BYTES: u64 = 16 << 20;
/// Entries (files and folders) in one archive.
pub const MAX_ENTRIES: usize = 1_000;

/// The kinds of archive a class folder may hold, by file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Tar,
    TarGz,
    TarXz,
    TarBz2,
    /// Read by no crate kubelab trusts with untrusted input: the learner's row says to
    /// hand in a `.zip`.
    Rar,
    /// As [`Kind::Rar`].
    SevenZip,
}

impl Kind {
    /// Whether kubelab unpacks this kind (a `.rar` or `.7z` is an error row instead).
    pub fn readable(self) -> bool {
        !matches!(self, Kind::Rar | Kind::SevenZip)
    }
}

/// File name extensions and their kinds; `.tar` last, after the compressed tars.
const EXTENSIONS: [(&str, Kind); 11] = [
    (".tar.gz", Kind::TarGz),
    (".tgz", Kind::TarGz),
    (".tar.xz", Kind::TarXz),
    (".txz", Kind::TarXz),
    (".tar.bz2", Kind::TarBz2),
    (".tbz2", Kind::TarBz2),
    (".tbz", Kind::TarBz2),
    (".zip", Kind::Zip),
    (".rar", Kind::Rar),
    (".7z", Kind::SevenZip),
    (".tar", Kind::Tar),
];

/// The learner id and the kind of an archive, by file name (`kim.tar.xz` → `kim`,
/// [`Kind::TarXz`]); `None` for anything else.
pub fn classify(file_name: &str) -> Option<(&str, Kind)> {
    let lower = file_name.to_ascii_lowercase();
    EXTENSIONS
        .iter()
        .find(|(ext, _)| lower.ends_with(ext) && lower.len() > ext.len())
        .map(|(ext, kind)| (&file_name[..file_name.len() - ext.len()], *kind))
}

/// The learner id of an archive kubelab reads, by file name; `None` for anything else.
pub fn learner_id(file_name: &str) -> Option<&str> {
    classify(file_name)
        .filter(|(_, kind)| kind.readable())
        .map(|(id, _)| id)
}

/// Unpacks `archive` into `into` (an empty folder). Errors are sentences for the
/// learner's row: what is wrong, naming the entry.
pub fn unpack(archive: &Path, into: &Path) -> Result<(), Message> {
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    unpack_as(archive, &name, into)
}

/// [`unpack`], the kind given by `name` (a link's target's name, when the link's own
/// name has no archive extension).
pub fn unpack_as(archive: &Path, name: &str, into: &Path) -> Result<(), Message> {
    let Some((_, kind)) = classify(name) else {
        return Err(msg!("class-archive-unknown-kind"));
    };
    if !kind.readable() {
        return Err(msg!("class-archive-hand-in-zip"));
    }
    let size = std::fs::metadata(archive)
        .map_err(|e| msg!("class-archive-unreadable", reason = e.to_string()))?
        .len();
    if size > MAX_ARCHIVE_BYTES {
        return Err(msg!(
            "class-archive-too-large",
            size = size,
            limit = MAX_ARCHIVE_BYTES
        ));
    }
    let file = std::fs::File::open(archive)
        .map_err(|e| msg!("class-archive-unreadable", reason = e.to_string()))?;
    let mut budget = Budget::default();
    match kind {
        Kind::Zip => unpack_zip(file, into, &mut budget),
        Kind::TarGz => unpack_tar(
            flate2::read::GzDecoder::new(file),
            ".tar.gz",
            into,
            &mut budget,
        ),
        Kind::Tar => unpack_tar(file, ".tar", into, &mut budget),
        Kind::TarXz => unpack_tar(
            liblzma::read::XzDecoder::new(file),
            ".tar.xz",
            into,
            &mut budget,
        ),
        Kind::TarBz2 => unpack_tar(
            bzip2::read::MultiBzDecoder::new(file),
            ".tar.bz2",
            into,
            &mut budget,
        ),
        Kind::Rar | Kind::SevenZip => Err(msg!("class-archive-hand-in-zip")),
    }
}

#[derive(Default)]
struct Budget {
    entries: usize,
    bytes: u64,
}

impl Budget {
    fn entry(&mut self) -> Result<(), Message> {
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return Err(msg!("class-archive-too-many-entries", limit = MAX_ENTRIES));
        }
        Ok(())
    }
}

/// The entry's path inside `into`, or why it is refused.
fn safe_path(into: &Path, entry: &str) -> Result<PathBuf, Message> {
    let relative = Path::new(entry);
    let mut out = into.to_path_buf();
    for component in relative.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                return Err(msg!("class-archive-climbs-out-dotdot", entry = entry));
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(msg!("class-archive-absolute", entry = entry));
            }
        }
    }
    if entry.contains('\\') && (entry.contains("..") || entry.starts_with('\\')) {
        return Err(msg!("class-archive-climbs-out", entry = entry));
    }
    Ok(out)
}

/// Creates the folder `path` for archive entry `entry` (and its parents).
fn make_dir(path: &Path, entry: &str) -> Result<(), Message> {
    std::fs::create_dir_all(path).map_err(|e| {
        msg!(
            "class-archive-cannot-unpack",
            entry = entry,
            reason = e.to_string()
        )
    })
}

/// Copies one file's bytes, counting what is really decompressed.
fn write_file(
    path: &Path,
    entry: &str,
    data: &mut dyn Read,
    budget: &mut Budget,
) -> Result<(), Message> {
    if let Some(parent) = path.parent() {
        make_dir(parent, entry)?;
    }
    let limit = crate::manifest::MAX_FILE_SIZE;
    let mut out = std::fs::File::create(path).map_err(|e| {
        msg!(
            "class-archive-cannot-unpack",
            entry = entry,
            reason = e.to_string()
        )
    })?;
    let copied = std::io::copy(&mut data.take(limit + 1), &mut out).map_err(|e| {
        msg!(
            "class-archive-cannot-decompress",
            entry = entry,
            reason = e.to_string()
        )
    })?;
    if copied > limit {
        return Err(msg!(
            "class-archive-entry-too-large",
            entry = entry,
            limit = limit
        ));
    }
    budget.bytes += copied;
    if budget.bytes > MAX_UNPACKED_BYTES {
        return Err(msg!(
            "class-archive-unpacks-too-large",
            limit = MAX_UNPACKED_BYTES
        ));
    }
    Ok(())
}

fn unpack_zip(file: std::fs::File, into: &Path, budget: &mut Budget) -> Result<(), Message> {
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| msg!("class-archive-not-zip", reason = e.to_string()))?;
    if zip.len() > MAX_ENTRIES {
        return Err(msg!("class-archive-too-many-entries", limit = MAX_ENTRIES));
    }
    for index in 0..zip.len() {
        budget.entry()?;
        let mut entry = zip.by_index(index).map_err(|e| {
            msg!(
                "class-archive-entry-unreadable",
                entry = index.to_string(),
                reason = e.to_string()
            )
        })?;
        let name = entry.name().to_string();
        let path = safe_path(into, &name)?;
        if entry.is_symlink() {
            return Err(msg!("class-archive-link", entry = name.as_str()));
        }
        if entry.is_dir() {
            make_dir(&path, &name)?;
            continue;
        }
        if !entry.is_file() {
            return Err(msg!("class-archive-not-regular", entry = name.as_str()));
        }
        write_file(&path, &name, &mut entry, budget)?;
    }
    Ok(())
}

/// Unpacks a tar stream (`kind`, `.tar.gz`, names the format in the row's message).
fn unpack_tar(
    stream: impl Read,
    kind: &str,
    into: &Path,
    budget: &mut Budget,
) -> Result<(), Message> {
    let not_tar =
        |e: std::io::Error| msg!("class-archive-not-tar", kind = kind, reason = e.to_string());
    let mut tar = tar::Archive::new(stream);
    let entries = tar.entries().map_err(not_tar)?;
    for entry in entries {
        budget.entry()?;
        let mut entry = entry.map_err(not_tar)?;
        let name = entry
            .path()
            .map_err(|e| msg!("class-archive-name-unreadable", reason = e.to_string()))?
            .to_string_lossy()
            .into_owned();
        let path = safe_path(into, &name)?;
        match entry.header().entry_type() {
            tar::EntryType::Directory => {
                make_dir(&path, &name)?;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                write_file(&path, &name, &mut entry, budget)?;
            }
            // pax/GNU metadata records describe the next entry; the tar crate applies them.
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader => {}
            tar::EntryType::Symlink | tar::EntryType::Link => {
                return Err(msg!("class-archive-link", entry = name.as_str()));
            }
            other => {
                return Err(msg!(
                    "class-archive-not-regular-kind",
                    entry = name.as_str(),
                    kind = format!("{other:?}")
                ));
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
        assert_eq!(learner_id("a.tar"), Some("a"));
        assert_eq!(learner_id("a.TAR.XZ"), Some("a"));
        assert_eq!(learner_id("a.tbz2"), Some("a"));
        assert_eq!(learner_id("a.rar"), None);
        assert_eq!(classify("a.rar"), Some(("a", Kind::Rar)));
        assert_eq!(classify("b.7Z"), Some(("b", Kind::SevenZip)));
        assert_eq!(classify("c.tar.bz2"), Some(("c", Kind::TarBz2)));
        assert_eq!(classify(".tar"), None);
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
