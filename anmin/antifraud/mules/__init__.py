"""Mule-account and ring detection (涉诈"两卡"研判): a seeded generator of bank transactions with
injected laundering typologies and ground truth (``generator``), streamed CSV input with per-row
errors (``io``), vectorised account features and a documented weighted-rule score with reasons
(``score``), rings as graph components around high scores, and the quality measures (``evaluate``).
See docs/antifraud.md for the model and its measured quality."""
