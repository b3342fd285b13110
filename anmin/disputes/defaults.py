"""Default data of the disputes domain; a city edits it afterwards (admin, or its own migration)."""

# 民转刑 risk factors (domain_notes.md): code, name, the colour they raise a dispute to, order.
DEFAULT_RISK_FLAGS = (
    ("threat_revenge", "扬言报复", "red", 1),
    ("mental_disorder", "当事人有精神障碍", "red", 2),
    ("marriage_debt", "婚恋、债务纠纷", "orange", 3),
    ("repeat_police", "因同一事由多次报警", "orange", 4),
)
