//! The demo practice a new laptop starts with, so the app is alive on first run.

use sqlx::PgPool;

use crate::{
    Result,
    auth::{password, repo as users},
    fields::NewPassword,
    orgs::{self, Permission, Role},
};

pub const DEMO_SLUG: &str = "green-leaf-demo";
/// Shared by every demo login; printed at start-up.
pub const DEMO_PASSWORD: &str = "tend-demo-garden-2026";

pub struct DemoLogin {
    pub role: &'static str,
    pub email: &'static str,
}

pub const DEMO_LOGINS: [DemoLogin; 3] = [
    DemoLogin {
        role: "owner",
        email: "olivia.owner@demo.tend.test",
    },
    DemoLogin {
        role: "provider",
        email: "paul.provider@demo.tend.test",
    },
    DemoLogin {
        role: "staff",
        email: "sam.staff@demo.tend.test",
    },
];

/// Seeds the demo practice unless it exists. Returns whether it was created.
pub async fn seed_demo_practice(pool: &PgPool) -> Result<bool> {
    let mut tx = pool.begin().await?;
    if orgs::repo::slug_is_taken(&mut tx, DEMO_SLUG).await? {
        return Ok(false);
    }
    let password = NewPassword::parse(DEMO_PASSWORD, &[]).map_err(anyhow::Error::msg)?;
    let password_hash = password::hash(password).await?;
    let org_id = orgs::repo::insert_organization(
        &mut tx,
        "Green Leaf Nutrition (demo)",
        DEMO_SLUG,
        "America/Chicago",
    )
    .await?;
    let people = [
        ("Olivia Owner", Role::Owner),
        ("Paul Provider", Role::Provider),
        ("Sam Staff", Role::Staff),
    ];
    for (login, (name, role)) in DEMO_LOGINS.iter().zip(people) {
        let user_id = users::insert_user(&mut tx, login.email, name, Some(&password_hash)).await?;
        orgs::repo::insert_membership(
            &mut tx,
            org_id,
            user_id,
            role,
            &Permission::defaults_for(role),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_password_passes_the_password_rules() {
        assert!(NewPassword::parse(DEMO_PASSWORD, &[]).is_ok());
    }
}
