//! Class folders as learners hand them in: a folder's files, and archives of them
//! (`.zip`, `.tar`, `.tar.gz`, `.tar.xz`, `.tar.bz2`).

use std::io::Write;
use std::path::Path;

/// (relative path, bytes) of every file under `dir`.
pub fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            for (inner, bytes) in files(&path) {
                out.push((format!("{name}/{inner}"), bytes));
            }
        } else {
            out.push((name, std::fs::read(&path).unwrap()));
        }
    }
    out
}

pub fn zip_of(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

pub fn tar_gz_of(path: &Path, entries: &[(String, Vec<u8>)]) {
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::default(),
    );
    let mut tar = tar::Builder::new(gz);
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap();
}

/// A plain tar of `entries`, as bytes.
pub fn tar_bytes(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    tar.into_inner().unwrap()
}

pub fn tar_xz_of(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut xz = liblzma::write::XzEncoder::new(std::fs::File::create(path).unwrap(), 6);
    xz.write_all(&tar_bytes(entries)).unwrap();
    xz.finish().unwrap();
}

pub fn tar_bz2_of(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut bz = bzip2::write::BzEncoder::new(
        std::fs::File::create(path).unwrap(),
        bzip2::Compression::default(),
    );
    bz.write_all(&tar_bytes(entries)).unwrap();
    bz.finish().unwrap();
}
