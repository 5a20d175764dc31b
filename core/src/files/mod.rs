//! Uploaded files (program covers, module documents): the bytes in a [`FileStore`], what they
//! are in the `stored_files` table. A local folder is the default store; an S3-compatible one
//! can implement the same trait.
//!
//! Keys are made here (`{org_id}/{file_id}`), never from a file's name, so a name cannot reach
//! another path or another practice's files.

pub mod kinds;
pub mod repo;

use std::{io, path::PathBuf, sync::Arc};

use async_trait::async_trait;
use uuid::Uuid;

pub use kinds::{FileKind, UploadProblem};

#[async_trait]
pub trait FileStore: Send + Sync {
    async fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()>;
    /// `None` when nothing is stored under `key`.
    async fn get(&self, key: &str) -> io::Result<Option<Vec<u8>>>;
    /// Removing what is not there is not an error.
    async fn delete(&self, key: &str) -> io::Result<()>;
}

pub type SharedFileStore = Arc<dyn FileStore>;

/// The key of a stored file.
pub fn key_of(org_id: Uuid, file_id: Uuid) -> String {
    format!("{org_id}/{file_id}")
}

/// Files in a folder on this machine (`TEND_FILES_DIR`, by default `files` in the data folder).
/// Several instances need a shared folder, or another store.
pub struct LocalFolder {
    root: PathBuf,
}

impl LocalFolder {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path_of(&self, key: &str) -> io::Result<PathBuf> {
        // Our keys are two UUIDs; anything else is refused rather than joined onto the root.
        let valid = key.split('/').count() == 2 && key.split('/').all(|part| Uuid::parse_str(part).is_ok());
        if !valid {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a file key"));
        }
        Ok(self.root.join(key))
    }
}

#[async_trait]
impl FileStore for LocalFolder {
    async fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(key)?;
        if let Some(folder) = path.parent() {
            tokio::fs::create_dir_all(folder).await?;
        }
        // Written aside, then renamed: a reader never sees half a file.
        let partial = path.with_extension("partial");
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &path).await
    }

    async fn get(&self, key: &str) -> io::Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.path_of(key)?).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }

    async fn delete(&self, key: &str) -> io::Result<()> {
        match tokio::fs::remove_file(self.path_of(key)?).await {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        }
    }
}

/// Removes stored bytes whose rows are gone. Failing to is logged, not fatal: the row is the
/// truth, and an unreferenced file is only space.
pub async fn discard(store: &dyn FileStore, org_id: Uuid, file_ids: &[Uuid]) {
    for id in file_ids {
        if let Err(error) = store.delete(&key_of(org_id, *id)).await {
            tracing::warn!(file.id = %id, %error, "could not remove a stored file");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (LocalFolder, PathBuf) {
        let root = std::env::temp_dir().join(format!("tend-files-{}", Uuid::new_v4()));
        (LocalFolder::new(&root), root)
    }

    #[tokio::test]
    async fn a_local_folder_keeps_gives_back_and_removes_a_file() {
        let (store, root) = folder();
        let key = key_of(Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(store.get(&key).await.unwrap(), None);
        store.put(&key, b"week one").await.unwrap();
        assert_eq!(store.get(&key).await.unwrap().as_deref(), Some(&b"week one"[..]));
        store.delete(&key).await.unwrap();
        assert_eq!(store.get(&key).await.unwrap(), None);
        store.delete(&key).await.unwrap();
        let _ = std::fs::remove_dir_all(root);
    }

    #[tokio::test]
    async fn a_key_that_is_not_ours_never_reaches_the_disk() {
        let (store, _root) = folder();
        for key in ["../etc/passwd", "a/b", "/etc/passwd", &format!("{}/../x", Uuid::new_v4())] {
            assert_eq!(store.put(key, b"x").await.unwrap_err().kind(), io::ErrorKind::InvalidInput, "{key}");
            assert!(store.get(key).await.is_err(), "{key}");
        }
    }
}
