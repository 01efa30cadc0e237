//! Finding and reading the learner's files: folders walked in sorted order, size checked
//! before reading, binary content refused with the place of the first bad byte.

use super::error::InputError;
use crate::i18n::Message;
use std::fs;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

/// Larger files are refused without being read.
pub const MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Files to read, in order: named files as given, folders expanded; the paths that
/// cannot be read (missing, unreadable, an empty folder), every one of them; and notes on
/// what a folder holds that is not read (a Helm chart, `node_modules/`, `x.yaml.txt`).
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>, Vec<Message>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                errors.push(io_error(path, &e));
                continue;
            }
        };
        if meta.is_dir() {
            let before = (files.len(), errors.len());
            walk(path, &mut files, &mut errors, &mut notes);
            if (files.len(), errors.len()) == before {
                errors.push(InputError::EmptyFolder { path: path.clone() });
            }
        } else {
            files.push(path.clone());
        }
    }
    // A file named twice (or inside a named folder too) is read once.
    files.retain(|f| seen.insert(fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    (files, errors, notes)
}

/// Folders of other tools' dependencies, never manifests: skipped with one note each.
const DEPENDENCY_FOLDERS: &[&str] = &["node_modules", "vendor", "venv", ".venv", "target"];

/// `x.yaml.txt`, `policy.yml.bak`: a manifest's name with another extension after it
/// (an editor's or a mail client's doing), the manifest name it was meant to have.
fn manifest_name_inside(name: &str) -> Option<&str> {
    let lower = name.to_ascii_lowercase();
    [".yaml.", ".yml.", ".json."].iter().find_map(|ext| {
        let at = lower.find(ext)?;
        Some(&name[..at + ext.len() - 1])
    })
}

/// Files under `dir`, recursively (for a note's count).
fn count_files(dir: &Path) -> usize {
    fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() => count_files(&e.path()),
                _ => 1,
            })
            .sum()
    })
}

fn io_error(path: &Path, err: &std::io::Error) -> InputError {
    match err.kind() {
        ErrorKind::NotFound => InputError::NotFound {
            path: path.to_path_buf(),
        },
        _ => InputError::Unreadable {
            path: path.to_path_buf(),
            reason: err.to_string(),
        },
    }
}

fn is_manifest_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
}

fn walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<InputError>,
    notes: &mut Vec<Message>,
) {
    // A Helm chart (its `Chart.yaml` beside `templates/`): the templates are Go
    // templates, not manifests; what the cluster gets is `helm template`'s output.
    if dir.join("Chart.yaml").is_file() && dir.join("templates").is_dir() {
        notes.push(crate::msg!(
            "manifest-skipped-helm-chart",
            folder = shown(dir)
        ));
        return;
    }
    let mut entries: Vec<_> = match fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).collect(),
        Err(e) => {
            errors.push(io_error(dir, &e));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if DEPENDENCY_FOLDERS.contains(&name.as_ref()) {
                notes.push(crate::msg!(
                    "manifest-skipped-dependencies",
                    folder = shown(&path),
                    count = count_files(&path)
                ));
                continue;
            }
            walk(&path, files, errors, notes);
        } else if let (false, Some(meant)) = (is_manifest_name(&name), manifest_name_inside(&name))
        {
            notes.push(crate::msg!(
                "manifest-skipped-double-extension",
                file = shown(&path),
                meant = meant.to_string()
            ));
        } else if is_manifest_name(&name) {
            // Symlinks to folders are not followed (no loops); to files they are.
            if kind.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                continue;
            }
            files.push(path);
        }
    }
}

/// Reads a file, refusing it before reading when it is too large.
pub fn read(path: &Path) -> Result<String, InputError> {
    let meta = fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.is_dir() || !meta.is_file() {
        return Err(InputError::NotRegular {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: MAX_FILE_SIZE,
        });
    }
    let file = fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: MAX_FILE_SIZE,
        });
    }
    decode(&shown(path), bytes)
}

/// How a file is named in reports and messages: as the user named it, without a leading
/// `./`, with control characters escaped (`\u{1b}`, `\n`: a file name cannot drive the
/// terminal or split a message line) and bytes that are not UTF-8 shown as U+FFFD.
pub fn shown(path: &Path) -> String {
    let name = path.strip_prefix(".").unwrap_or(path).display().to_string();
    crate::text::escape_control(&name).into_owned()
}

/// UTF-8 text without NUL bytes (a leading byte-order mark is dropped). A file that
/// starts with a UTF-16 byte-order mark (`FF FE` little-endian, `FE FF` big-endian, what
/// Windows' Notepad and PowerShell's `>` write) is read as UTF-16, as `kubectl apply`
/// reads it (cli-runtime's `FileVisitor` decodes through `unicode.BOMOverride`).
pub fn decode(display: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(unit) = utf16 {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|pair| unit([pair[0], *pair.get(1).unwrap_or(&0)]))
            .collect();
        return match String::from_utf16(&units) {
            Ok(text) => decode(display, text.into_bytes()),
            Err(_) => Err(binary(display, &bytes, 0, crate::msg!("input-not-utf8"))),
        };
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(binary(display, &bytes, at, crate::msg!("input-nul-bytes")));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err(binary(
                display,
                e.as_bytes(),
                at,
                crate::msg!("input-not-utf8"),
            ))
        }
    }
}

/// Rejects text with NUL bytes (in-memory input is UTF-8 already).
pub fn check_text(display: &str, text: &str) -> Result<(), InputError> {
    match text.as_bytes().iter().position(|b| *b == 0) {
        Some(at) => Err(binary(
            display,
            text.as_bytes(),
            at,
            crate::msg!("input-nul-bytes"),
        )),
        None => Ok(()),
    }
}

fn binary(display: &str, bytes: &[u8], at: usize, what: Message) -> InputError {
    let before = &bytes[..at];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    InputError::Binary {
        file: display.to_string(),
        line,
        column,
        what,
    }
}

/// A file's identity on disk (device, inode), or `None` (not Unix, or it cannot be read).
pub fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The regular file this process's stdout writes to (`> out.json`), as [`identity`]; `None`
/// for a terminal, a pipe, or where it cannot be known.
pub fn stdout_file() -> Option<(u64, u64)> {
    #[cfg(target_os = "linux")]
    {
        let path = Path::new("/proc/self/fd/1");
        fs::metadata(path).ok().filter(|m| m.is_file())?;
        identity(path)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}
