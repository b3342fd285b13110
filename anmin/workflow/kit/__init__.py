"""The kit for case domains: what every domain on the case engine needs, written once.

A domain (disputes, grid events, anti-fraud warnings, crackdown clues …) is its detail model (a
``CaseDetail``), its workflow (a ``CaseKind`` with guards and its own steps), its actions (``@action``)
and thin subclasses of these:

* ``kit.domain``  — ``CaseDomain``: what the domain registers at start-up, declared once;
* ``kit.views``   — ``CaseLedgerView``, ``CaseDetailPage``, ``CaseReportView``, ``CaseStepView``;
* ``kit.forms``   — ``CaseReportForm`` (the place picker), ``PhoneReportForm`` (photos, position, recorded time);
* ``kit.api``     — ``CaseFieldsSerializer``, ``CaseDetailFields``, ``CaseDetailViewSet``, ``CaseDetailApiFilter``,
  ``ReportSerializer``, ``PhoneReportSerializer``;
* ``kit.filters`` — ``CaseDetailFilter`` (number/title, township → village, state, time limit, dates);
* ``kit.tables``  — the case columns of a ledger and its fast rows;
* ``kit.kpis``    — ``CaseKpis``: found, closed, overdue and on-time rate by region and period, counts by a field;
* ``kit.demo``    — the demo world's people, times, fates and case histories;
* templates ``workflow/kit/detail.html``, ``report.html``, ``step.html`` with blocks to fill.

See docs/adding-a-case-domain.md for the walk-through.
"""
