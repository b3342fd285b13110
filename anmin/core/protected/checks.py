"""System checks for the data key ring (``manage.py check`` and every command that runs checks).

In production a missing or broken key ring is an error, so the platform refuses to start instead of
failing on the first page that shows a protected value. Outside production a missing key file is
fine: it is created on first use.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .keys import ENV_VAR, KeyConfigurationError, key_file_path, keys_from_environment, load_keyring


@register(Tags.security)
def check_data_keys(app_configs=None, **kwargs):
    production = getattr(settings, "PRODUCTION", False)
    path = key_file_path()
    if not keys_from_environment() and not path.exists():
        if not production:
            return []
        return [
            Error(
                f"数据密钥文件 {path} 不存在，也未设置环境变量 {ENV_VAR}。",
                hint="运行 `anmin keys init` 生成密钥文件并立即离线备份（见 docs/security-protected-data.md）。",
                id="anmin.protected.E101",
            )
        ]
    try:
        load_keyring(create_missing=False)
    except KeyConfigurationError as exc:
        return [Error(str(exc), id="anmin.protected.E102")]
    if keys_from_environment() or not path.stat().st_mode & 0o077:
        return []
    level = Error if production else Warning
    return [
        level(
            f"数据密钥文件 {path} 可被其他用户读取。",
            hint=f"chmod 600 {path}（目录 700），只允许运行平台的系统用户读取。",
            id="anmin.protected.E103" if production else "anmin.protected.W103",
        )
    ]
