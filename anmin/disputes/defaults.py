"""Default data of the disputes domain; a city edits it afterwards (admin, or its own migration)."""

# 民转刑 risk factors (domain_notes.md): code, name, the colour they raise a dispute to, order.
DEFAULT_RISK_FLAGS = (
    ("threat_revenge", "扬言报复", "red", 1),
    ("mental_disorder", "当事人有精神障碍", "red", 2),
    ("marriage_debt", "婚恋、债务纠纷", "orange", 3),
    ("repeat_police", "因同一事由多次报警", "orange", 4),
    ("community_correction", "当事人为社区矫正对象", "orange", 5),
    ("drug_use", "当事人有吸毒史", "orange", 6),
    ("repeat_disputes", "当事人一年内多次涉纠纷", "yellow", 7),
)

# Which person risk signal (``anmin.people.risk``) raises which factor by itself when a party carries it.
DEFAULT_FLAG_SIGNALS = {
    "mental_disorder": "severe_mental_disorder",
    "community_correction": "community_correction",
    "drug_use": "drug_use",
    "repeat_disputes": "repeat_disputes",
}

# A person who was a party to this many disputes registered in the last 12 months carries the
# "repeat_disputes" signal.
REPEAT_DISPUTES = 3
