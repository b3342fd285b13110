"""The one error the sanitisers raise: the rule a file broke, in Chinese, without the field's name
(the caller adds it: 「附件」…, 第2张照片：…)."""

from __future__ import annotations


class Rejected(ValueError):
    def __init__(self, rule: str):
        super().__init__(rule)
        self.rule = rule
