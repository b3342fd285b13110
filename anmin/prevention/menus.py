"""Menu entries of the prevention domain."""

from django.utils.translation import gettext_lazy as _

from anmin.core.registry import MenuItem, menu


def register() -> None:
    for item in (
        MenuItem("prevention_cameras", "base", _("视频监控点位"), "prevention:camera_list", "prevention.view_camera",
                 50, "◉"),
        MenuItem("prevention_platforms", "base", _("监控平台"), "prevention:platform_list",
                 "prevention.view_platform", 51, "▣"),
        MenuItem("prevention_points", "base", _("雪亮工程布点"), "prevention:point_list",
                 "prevention.view_plannedpoint", 52, "◎"),
        MenuItem("prevention_teams", "base", _("巡逻队"), "prevention:team_list", "prevention.view_patrolteam", 53,
                 "⚑"),
        MenuItem("prevention_members", "base", _("巡逻队员"), "prevention:member_list",
                 "prevention.view_patrolmember", 54, "☺"),
        MenuItem("prevention_liaisons", "base", _("驻村民警/法律顾问"), "prevention:liaison_list",
                 "prevention.view_liaison", 55, "☖"),
    ):
        menu.register(item.key, item)
