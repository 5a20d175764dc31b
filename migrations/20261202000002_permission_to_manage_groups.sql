-- Managing client groups becomes a permission of its own ("Can create, rename and delete client
-- groups, and place clients in them"). Every provider and staff member had it implicitly until
-- now, so they keep it; an owner can turn it off per member.
UPDATE memberships
SET permissions = array_append(permissions, 'manage_groups')
WHERE role IN ('provider', 'staff') AND NOT ('manage_groups' = ANY (permissions));

-- Invitations still open carry what their role's defaults were when sent: the same grant.
UPDATE member_invitations
SET permissions = array_append(permissions, 'manage_groups')
WHERE accepted_at IS NULL AND revoked_at IS NULL AND NOT ('manage_groups' = ANY (permissions));
