//! Writing the key pair the way the tutorial's `openssl` commands leave it: `privatekey.pem`
//! readable by its owner only, `publickey.cer` beside it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::GeneratedKeys;
use crate::error::{Error, ErrorCode, Result};

/// The private key's file name, as in the tutorial.
pub const PRIVATE_KEY_FILE: &str = "privatekey.pem";

/// The certificate's file name, as in the tutorial.
pub const CERTIFICATE_FILE: &str = "publickey.cer";

/// Where [`write_key_files`] put the two files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFiles {
    /// `<dir>/privatekey.pem`.
    pub private_key: PathBuf,
    /// `<dir>/publickey.cer`.
    pub certificate: PathBuf,
}

/// Writes `privatekey.pem` (PKCS#8, file mode 0600 on Unix) and `publickey.cer` into `dir`,
/// creating `dir` if needed. Refuses to replace an existing file unless `overwrite`: a private
/// key lost by accident cannot be recovered, and its identity provider would need replacing.
pub fn write_key_files(dir: &Path, keys: &GeneratedKeys, overwrite: bool) -> Result<KeyFiles> {
    let (private_key, certificate) = write_key_pair(
        dir,
        &keys.private_key_pem,
        CERTIFICATE_FILE,
        &keys.certificate_pem,
        overwrite,
    )?;
    Ok(KeyFiles {
        private_key,
        certificate,
    })
}

/// Writes `privatekey.pem` (mode 0600 on Unix) and `public` as `public_name` into `dir`,
/// creating `dir` if needed; refuses to replace an existing file unless `overwrite`. Returns
/// the private and the public file's paths.
pub(crate) fn write_key_pair(
    dir: &Path,
    private_key_pem: &str,
    public_name: &str,
    public: &str,
    overwrite: bool,
) -> Result<(PathBuf, PathBuf)> {
    fs::create_dir_all(dir).map_err(|e| io_error("create the directory", dir, &e))?;
    let private_path = dir.join(PRIVATE_KEY_FILE);
    let public_path = dir.join(public_name);
    if !overwrite {
        for path in [&private_path, &public_path] {
            if path.exists() {
                return Err(Error::plain(
                    ErrorCode::Io,
                    format!(
                        "{} exists already: refusing to replace it (choose another directory, \
                         or overwrite on purpose)",
                        path.display()
                    ),
                ));
            }
        }
    }
    write_private(&private_path, private_key_pem.as_bytes())?;
    fs::write(&public_path, public.as_bytes()).map_err(|e| io_error("write", &public_path, &e))?;
    Ok((private_path, public_path))
}

/// Writes a file that only its owner may read: created with mode 0600, so the key is never
/// readable by others, not even for an instant.
pub(crate) fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| io_error("create", path, &e))?;
    #[cfg(unix)]
    {
        // An existing file keeps its old mode through `open`; set it explicitly.
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|e| io_error("restrict the permissions of", path, &e))?;
    }
    file.write_all(contents)
        .map_err(|e| io_error("write", path, &e))?;
    file.sync_all().map_err(|e| io_error("write", path, &e))
}

pub(crate) fn io_error(action: &str, path: &Path, error: &std::io::Error) -> Error {
    Error::plain(
        ErrorCode::Io,
        format!("could not {action} {}: {error}", path.display()),
    )
}
