"""消息: the list shows when a message came on the city's clock, as every other page does."""

from __future__ import annotations

import datetime as dt

from anmin.core import notices
from anmin.core.models import Role


def test_the_message_list_shows_the_time_a_message_came_in_beijing_time(client, world):
    """The list formatted the stored UTC moment itself: a reminder sent at 09:07 said 01:07."""
    user = world.user(Role.TOWNSHIP_CENTER)
    sent = dt.datetime(2026, 3, 5, 1, 7, tzinfo=dt.UTC)  # 09:07 in Beijing
    assert notices.notify(kind="reminder", title="临期提醒：测试事项", key="t:1", users=[user], now=sent) == 1
    client.force_login(user)
    html = client.get("/notices/").content.decode()
    assert "2026-03-05 09:07" in html
    assert "2026-03-05 01:07" not in html
