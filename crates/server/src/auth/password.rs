//! Argon2id password hashing, and one-time passwords for new or reset accounts.

use crate::config::HashCost;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;

fn hasher(cost: HashCost) -> anyhow::Result<Argon2<'static>> {
    Ok(match cost {
        HashCost::Default => Argon2::default(),
        HashCost::OneTime => Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?,
        ),
        // Tests only: the smallest parameters argon2 accepts.
        HashCost::Cheap => Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8, 1, 1, None).map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?,
        ),
    })
}

/// Hashes on a blocking thread: argon2 is deliberately slow and must not stall the runtime.
pub async fn hash(password: String, cost: HashCost) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        hasher(cost)?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
    })
    .await?
}

/// Verifies with the parameters stored in the hash itself. A malformed stored hash is a
/// failed match, never a panic.
pub async fn verify(password: String, stored: String) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else {
            tracing::warn!("stored password hash is malformed");
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(Into::into)
}

/// A hash of a random password, verified against when the login is unknown so that the
/// response time does not reveal which usernames exist.
pub async fn dummy_hash(cost: HashCost) -> anyhow::Result<String> {
    hash(generate_one_time(), cost).await
}

/// A one-time password: 12 characters without look-alikes (0/O, 1/l/I), easy to read aloud.
pub fn generate_one_time() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() -> anyhow::Result<()> {
        let h = hash("正确的密码123".into(), HashCost::Cheap).await?;
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("正确的密码123".into(), h.clone()).await?);
        assert!(!verify("wrong".into(), h).await?);
        assert!(!verify("x".into(), "not a hash".into()).await?);
        Ok(())
    }

    #[test]
    fn one_time_passwords_are_unambiguous() {
        let p = generate_one_time();
        assert_eq!(p.chars().count(), 12);
        assert!(!p.contains(['0', 'O', '1', 'l', 'I']));
        assert_ne!(p, generate_one_time());
    }
}
