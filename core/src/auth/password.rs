//! Argon2id hashing, run on the blocking pool so it never stalls the async workers.

use std::sync::OnceLock;

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

use crate::{Result, fields::NewPassword};

pub async fn hash(password: NewPassword) -> Result<String> {
    let hashed =
        tokio::task::spawn_blocking(move || hash_blocking(password.expose())).await.map_err(anyhow::Error::from)??;
    Ok(hashed)
}

fn hash_blocking(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hashed = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    Ok(hashed.to_string())
}

/// Checks `candidate` against `stored`. With no stored hash (unknown email) it checks a
/// dummy hash anyway, so the answer takes as long either way.
pub async fn verify(stored: Option<String>, candidate: String) -> Result<bool> {
    let matched = tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let matched = Argon2::default().verify_password(candidate.as_bytes(), &parsed).is_ok();
        known && matched
    })
    .await
    .map_err(anyhow::Error::from)?;
    Ok(matched)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("a password nobody has").expect("argon2 with default parameters"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_right_password_verifies_and_a_wrong_one_does_not() {
        let password = NewPassword::parse("copper lantern drifts east", &[]).unwrap();
        let stored = hash(password).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(Some(stored.clone()), "copper lantern drifts east".into()).await.unwrap());
        assert!(!verify(Some(stored), "copper lantern drifts west".into()).await.unwrap());
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify(None, "a password nobody has".into()).await.unwrap());
    }
}
