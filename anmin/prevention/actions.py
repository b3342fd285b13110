"""Every write of the prevention domain. The registries' writes come from the registry kit, named
here so the guard walk sees them; patrol logs and activity records are written below."""

from __future__ import annotations

from .registries import CAMERAS, LIAISONS, MEMBERS, PLATFORMS, POINTS, TEAMS

create_camera, update_camera, set_camera_status, retire_camera, import_cameras = CAMERAS.actions()
create_platform, update_platform, set_platform_status, retire_platform, import_platforms = PLATFORMS.actions()
create_point, update_point, set_point_status, retire_point, import_points = POINTS.actions()
create_team, update_team, set_team_status, retire_team, import_teams = TEAMS.actions()
create_member, update_member, set_member_status, retire_member, import_members = MEMBERS.actions()
create_liaison, update_liaison, set_liaison_status, retire_liaison, import_liaisons = LIAISONS.actions()
