"""Every write of the crackdown domain (扫黑除恶)."""

from .clues import (
    ADD_CLUE,
    ADD_NOTICE,
    PastClue,
    PastNotice,
    import_clues,
    import_notices,
    issue_notice,
    record_reply,
    record_result,
    register_clue,
    reply_to_reporter,
)
from .registers import (
    PastRecords,
    add_asset,
    add_suspect,
    import_records,
    record_official,
    register_org,
    review_candidate,
    set_org_stage,
)

__all__ = [
    "ADD_CLUE", "ADD_NOTICE", "PastClue", "PastNotice", "PastRecords", "add_asset", "add_suspect", "import_clues",
    "import_notices", "import_records", "issue_notice", "record_official", "record_reply", "record_result",
    "register_clue", "register_org", "reply_to_reporter", "review_candidate", "set_org_stage",
]
