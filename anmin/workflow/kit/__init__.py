"""The kit for case domains: what every domain on the case engine needs, written once.

A domain (disputes, grid events, anti-fraud warnings, crackdown clues …) is its detail model (a
``CaseDetail``), its workflow (a ``CaseKind`` with guards and its own steps), its actions (``@action``)
and thin subclasses of these:

* ``kit.views``   — ``CaseLedgerView``, ``CaseDetailPage``, ``CaseReportView``, ``CaseStepView``;
* ``kit.api``     — ``CaseFieldsSerializer``, ``CaseDetailViewSet``, ``CaseDetailApiFilter``;
* ``kit.filters`` — ``CaseDetailFilter`` (number/title, township → village, state, time limit, dates);
* ``kit.tables``  — the case columns of a ledger and its fast rows;
* ``kit.kpis``    — ``CaseKpis``: found, closed, overdue and on-time rate by region and period;
* templates ``workflow/kit/detail.html``, ``report.html``, ``step.html`` with blocks to fill.

See docs/adding-a-case-domain.md for the walk-through.
"""
