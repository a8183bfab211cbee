"""Key creation draws another key id when the unique index says the drawn one is taken."""

from __future__ import annotations

from accounts import api_keys
from accounts.principal import MemberPrincipal
from organizations.apikeys import services
from organizations.tests.team import build_team


def test_a_clashing_key_id_is_drawn_again(monkeypatch):
    team = build_team()
    owner = team.people["owner"]
    actor = MemberPrincipal(owner.id, owner.org_id, owner.email, role=owner.role)

    def create():
        return services.key_create(
            actor=actor, org=team.org, name="k", scopes=["records:read"], expires_at=None, ip=None
        )

    first = create()
    draws = iter([api_keys.NewKey(first.key.key_id, "osk_clash", "hash"), api_keys.new_key()])
    monkeypatch.setattr(api_keys, "new_key", lambda: next(draws))
    second = create()
    assert second.key.key_id != first.key.key_id and second.token != "osk_clash"
    assert [k.key_id for k in services.key_list(actor=actor, org=team.org)] == [
        second.key.key_id,
        first.key.key_id,
    ]
