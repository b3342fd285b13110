"""Shared layer: residents, houses and special populations (实有人口 · 特殊人群 · 重点青少年)."""
