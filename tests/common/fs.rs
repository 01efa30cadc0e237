//! Files for the tests: copying a lab's folders (a solution, a corpus case's submission)
//! into a temporary class or lab folder.

use std::path::Path;

/// Copies the folder `from` into `to` (created), recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    copy_dir_keeping(from, to, &|_| true);
}

/// Copies the folder `from` into `to` (created), recursively, keeping only the entries
/// (files and folders) for which `keep` holds.
pub fn copy_dir_keeping(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if !keep(&path) {
            continue;
        }
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir_keeping(&path, &target, keep);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}
